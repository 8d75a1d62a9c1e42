import { EmbError, quote } from '@emb/core';

/**
 * The [B, C] 0/1 class mask of a labelled batch, row-major: `mask[i * C + labels[i]] = 1`.
 * Classifier and proxy losses use it instead of `gather`, whose gradient is missing on WASM.
 * Throws `INVALID_LABELS` for a label outside `[0, numClasses)`, naming `owner`.
 *
 * @example
 * oneHotMask(Int32Array.of(1, 0), 2, 'arc-face'); // Float32Array [0, 1, 1, 0]
 */
export function oneHotMask(labels: Int32Array, numClasses: number, owner: string): Float32Array {
  const mask = new Float32Array(labels.length * numClasses);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as number;
    if (!(label >= 0 && label < numClasses)) {
      throw new EmbError(
        'INVALID_LABELS',
        `${owner}: labels must be class ids in [0, ${numClasses}) (numClasses), got ${quote(label)} at index ${i}. Map your classes to 0..numClasses-1 or raise numClasses.`,
        { index: i, label, numClasses },
      );
    }
    mask[i * numClasses + label] = 1;
  }
  return mask;
}
