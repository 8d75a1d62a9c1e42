import { type Miner, parseOptions, type TripletIndices } from '@emb/core';
import { lpDistance } from '@emb/distance';
import * as v from 'valibot';
import { defineMiner, type MiningContext } from './define-miner.js';
import { GrowableInt32 } from './internal/growable-int32.js';
import { distanceOption } from './internal/option-schemas.js';

/** Options schema of {@link hardestNegativeMiner}. */
export const hardestNegativeMinerOptions = v.strictObject({
  distance: distanceOption,
});

export type HardestNegativeMinerOptions = v.InferInput<typeof hardestNegativeMinerOptions>;

function selectHardestNegative(ctx: MiningContext): TripletIndices {
  const { matrix, rows, cols, labels, refLabels, isSelf, isInverted } = ctx;
  const anchors = new GrowableInt32(rows * 4);
  const positives = new GrowableInt32(rows * 4);
  const negatives = new GrowableInt32(rows * 4);
  for (let i = 0; i < rows; i++) {
    const label = labels[i] as number;
    const offset = i * cols;
    let neg = -1;
    let negValue = 0;
    for (let j = 0; j < cols; j++) {
      if (refLabels[j] === label) continue;
      const value = matrix[offset + j] as number;
      if (neg < 0 || (isInverted ? value > negValue : value < negValue)) {
        neg = j;
        negValue = value;
      }
    }
    if (neg < 0) continue;
    for (let j = 0; j < cols; j++) {
      if (refLabels[j] !== label || (isSelf && j === i)) continue;
      anchors.push(i);
      positives.push(j);
      negatives.push(neg);
    }
  }
  return { kind: 'triplets', anchors: anchors.toArray(), positives: positives.toArray(), negatives: negatives.toArray() };
}

/**
 * Every positive pair, each with its anchor's hardest (closest) negative: the triplets of
 * VSE++'s max-of-hinges loss, and a common first step up from random triplets. Ties go to the
 * smallest index; anchors without a negative are skipped.
 *
 * Options: `distance = lpDistance()` (normalised L2).
 *
 * @example
 * const triplets = hardestNegativeMiner().mine({ embeddings, labels });
 */
export function hardestNegativeMiner(options: HardestNegativeMinerOptions = {}): Miner {
  const o = parseOptions(hardestNegativeMinerOptions, options, "miner 'hardest-negative'");
  const distance = o.distance ?? lpDistance();
  return defineMiner({
    name: 'hardest-negative',
    outputKind: 'triplets',
    options: { ...o, distance },
    distance,
    select: selectHardestNegative,
  });
}
