import { EmbError, quote } from '@emb/core';
import { assertDataset, createDataset, itemLength, type LabelledDataset } from './labelled-dataset.js';

/**
 * The items at `indices`, in that order (repeats allowed), as a new dataset with copied data.
 *
 * @param name Default: the source's name.
 * @example
 * const firstHundred = subsetDataset(ds, Int32Array.from({ length: 100 }, (_, i) => i));
 */
export function subsetDataset(ds: LabelledDataset, indices: Int32Array | readonly number[], name?: string): LabelledDataset {
  assertDataset(ds, 'subsetDataset');
  const per = itemLength(ds.itemShape);
  const x = new Float32Array(indices.length * per);
  const labels = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k] as number;
    if (!Number.isInteger(i) || i < 0 || i >= ds.size) {
      throw new EmbError(
        'INVALID_ARGUMENT',
        `subsetDataset: indices[${k}] is ${quote(i)}, outside the dataset's 0..${ds.size - 1}.`,
        { index: k, value: i, size: ds.size },
      );
    }
    x.set(ds.x.subarray(i * per, (i + 1) * per), k * per);
    labels[k] = ds.labels[i] as number;
  }
  return createDataset({ name: name ?? ds.name, x, labels, itemShape: ds.itemShape, classNames: ds.classNames });
}
