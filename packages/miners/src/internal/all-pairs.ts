import type { PairIndices } from '@emb/core';

/**
 * Every positive and every negative pair the labels allow (PML `get_all_pairs_indices`),
 * row-major. With `isSelf`, `(i, i)` is not a positive pair.
 */
export function allPairs(rows: number, cols: number, labels: Int32Array, refLabels: Int32Array, isSelf: boolean): PairIndices {
  let numPos = 0;
  for (let i = 0; i < rows; i++) {
    const label = labels[i] as number;
    for (let j = 0; j < cols; j++) if (refLabels[j] === label) numPos++;
  }
  if (isSelf) numPos -= rows;
  const numNeg = rows * cols - numPos - (isSelf ? rows : 0);
  const posAnchors = new Int32Array(numPos);
  const positives = new Int32Array(numPos);
  const negAnchors = new Int32Array(numNeg);
  const negatives = new Int32Array(numNeg);
  let p = 0;
  let n = 0;
  for (let i = 0; i < rows; i++) {
    const label = labels[i] as number;
    for (let j = 0; j < cols; j++) {
      if (refLabels[j] === label) {
        if (isSelf && j === i) continue;
        posAnchors[p] = i;
        positives[p++] = j;
      } else {
        negAnchors[n] = i;
        negatives[n++] = j;
      }
    }
  }
  return { kind: 'pairs', posAnchors, positives, negAnchors, negatives };
}
