import { type Miner, parseOptions, type TripletIndices } from '@emb/core';
import { lpDistance } from '@emb/distance';
import * as v from 'valibot';
import { defineMiner, type MiningContext } from './define-miner.js';
import { distanceOption } from './internal/option-schemas.js';

/** Options schema of {@link batchHardMiner} (PML `BatchHardMiner`). */
export const batchHardMinerOptions = v.strictObject({
  distance: distanceOption,
});

export type BatchHardMinerOptions = v.InferInput<typeof batchHardMinerOptions>;

function selectBatchHard(ctx: MiningContext): TripletIndices {
  const { matrix, rows, cols, labels, refLabels, isSelf, isInverted } = ctx;
  const a = new Int32Array(rows);
  const p = new Int32Array(rows);
  const n = new Int32Array(rows);
  let count = 0;
  for (let i = 0; i < rows; i++) {
    const label = labels[i] as number;
    const offset = i * cols;
    let pos = -1;
    let posValue = 0;
    let neg = -1;
    let negValue = 0;
    for (let j = 0; j < cols; j++) {
      const value = matrix[offset + j] as number;
      if (refLabels[j] === label) {
        if (isSelf && j === i) continue;
        // Hardest positive: the farthest (largest distance, smallest similarity).
        if (pos < 0 || (isInverted ? value < posValue : value > posValue)) {
          pos = j;
          posValue = value;
        }
      } else if (neg < 0 || (isInverted ? value > negValue : value < negValue)) {
        // Hardest negative: the closest.
        neg = j;
        negValue = value;
      }
    }
    if (pos >= 0 && neg >= 0) {
      a[count] = i;
      p[count] = pos;
      n[count++] = neg;
    }
  }
  return { kind: 'triplets', anchors: a.slice(0, count), positives: p.slice(0, count), negatives: n.slice(0, count) };
}

/**
 * For every anchor that has a positive and a negative, one triplet of its hardest positive
 * (the farthest) and its hardest negative (the closest) (PML `BatchHardMiner`, Hermans et
 * al. 2017). Ties go to the smallest index.
 *
 * Options (PML 2.8.1 defaults): `distance = lpDistance()` (normalised L2).
 *
 * @example
 * const miner = batchHardMiner();
 * const { anchors, positives, negatives, stats } = miner.mine({ embeddings, labels });
 */
export function batchHardMiner(options: BatchHardMinerOptions = {}): Miner {
  const o = parseOptions(batchHardMinerOptions, options, "miner 'batch-hard'");
  const distance = o.distance ?? lpDistance();
  return defineMiner({
    name: 'batch-hard',
    outputKind: 'triplets',
    options: { ...o, distance },
    distance,
    select: selectBatchHard,
  });
}
