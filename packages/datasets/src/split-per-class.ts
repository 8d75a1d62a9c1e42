import { createRng, EmbError, quote } from '@emb/core';
import { assertDataset, type LabelledDataset } from './labelled-dataset.js';
import { subsetDataset } from './subset-dataset.js';

/** Options of {@link splitPerClass}. */
export interface SplitPerClassOptions {
  /** Pick the taken items at random with this seed. Default: the first items of each class, in order. */
  readonly seed?: number | string;
}

/**
 * Splits every class in two: up to `perClass` items of each class go to `taken`, the rest to
 * `rest` (both keep the dataset's order). Enrolling "a few examples per class" into an index
 * and querying with the others is one use; capping a training set per class another.
 *
 * @example
 * const { taken: enrol, rest: queries } = splitPerClass(heldOut, 5, { seed: 1 });
 */
export function splitPerClass(
  ds: LabelledDataset,
  perClass: number,
  options: SplitPerClassOptions = {},
): { readonly taken: LabelledDataset; readonly rest: LabelledDataset } {
  assertDataset(ds, 'splitPerClass');
  if (!Number.isInteger(perClass) || perClass < 0) {
    throw new EmbError('INVALID_ARGUMENT', `splitPerClass: perClass must be a non-negative integer, got ${quote(perClass)}.`, {
      perClass,
    });
  }
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < ds.size; i++) {
    const c = ds.labels[i] as number;
    const list = byClass.get(c);
    if (list) list.push(i);
    else byClass.set(c, [i]);
  }
  const take = new Uint8Array(ds.size);
  const rng = options.seed === undefined ? undefined : createRng(options.seed);
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = byClass.get(c) as number[];
    if (rng) rng.shuffle(members);
    for (let k = 0; k < Math.min(perClass, members.length); k++) take[members[k] as number] = 1;
  }
  const taken: number[] = [];
  const rest: number[] = [];
  for (let i = 0; i < ds.size; i++) (take[i] ? taken : rest).push(i);
  return Object.freeze({ taken: subsetDataset(ds, taken), rest: subsetDataset(ds, rest) });
}
