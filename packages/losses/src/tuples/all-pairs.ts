import type { PairIndices } from '@emb/core';
import { labelMasks } from './label-masks.js';

/**
 * Every positive and every negative pair the labels allow (PML `get_all_pairs_indices`),
 * row-major: sorted by anchor, then by reference index.
 */
export function allPairs(labels: Int32Array, refLabels: Int32Array, isSelf: boolean): PairIndices {
  const { rows, cols, pos, neg } = labelMasks(labels, refLabels, isSelf);
  let numPos = 0;
  let numNeg = 0;
  for (let k = 0; k < pos.length; k++) {
    numPos += pos[k] as number;
    numNeg += neg[k] as number;
  }
  const posAnchors = new Int32Array(numPos);
  const positives = new Int32Array(numPos);
  const negAnchors = new Int32Array(numNeg);
  const negatives = new Int32Array(numNeg);
  let p = 0;
  let n = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const k = i * cols + j;
      if (pos[k]) {
        posAnchors[p] = i;
        positives[p++] = j;
      } else if (neg[k]) {
        negAnchors[n] = i;
        negatives[n++] = j;
      }
    }
  }
  return { kind: 'pairs', posAnchors, positives, negAnchors, negatives };
}
