import { EmbError, quote } from '@emb/core';
import { assertDataset, type LabelledDataset } from './labelled-dataset.js';
import { subsetDataset } from './subset-dataset.js';

/**
 * The items whose label is one of `classes`, in their original order.
 *
 * @example
 * const digitsZeroToFour = selectClasses(mnist, [0, 1, 2, 3, 4]);
 */
export function selectClasses(ds: LabelledDataset, classes: readonly number[], name?: string): LabelledDataset {
  assertDataset(ds, 'selectClasses');
  if (!Array.isArray(classes) || !classes.every((c) => Number.isInteger(c))) {
    throw new EmbError('INVALID_ARGUMENT', `selectClasses: classes must be an array of integer labels, got ${quote(classes)}.`, {
      classes,
    });
  }
  const wanted = new Set(classes);
  const indices: number[] = [];
  for (let i = 0; i < ds.size; i++) if (wanted.has(ds.labels[i] as number)) indices.push(i);
  return subsetDataset(ds, indices, name);
}
