import { type Miner, type PairIndices, parseOptions } from '@emb/core';
import { lpDistance } from '@emb/distance';
import * as v from 'valibot';
import { defineMiner, type MiningContext } from './define-miner.js';
import { GrowableInt32 } from './internal/growable-int32.js';
import { distanceOption, finiteNumber } from './internal/option-schemas.js';

/** Options schema of {@link pairMarginMiner} (PML `PairMarginMiner`). */
export const pairMarginMinerOptions = v.strictObject({
  posMargin: v.optional(finiteNumber, 0.2),
  negMargin: v.optional(finiteNumber, 0.8),
  distance: distanceOption,
});

export type PairMarginMinerOptions = v.InferInput<typeof pairMarginMinerOptions>;

function selectPairMargin(ctx: MiningContext, posMargin: number, negMargin: number): PairIndices {
  const { matrix, rows, cols, labels, refLabels, isSelf, isInverted } = ctx;
  const posAnchors = new GrowableInt32();
  const positives = new GrowableInt32();
  const negAnchors = new GrowableInt32();
  const negatives = new GrowableInt32();
  for (let a = 0; a < rows; a++) {
    const label = labels[a] as number;
    const offset = a * cols;
    for (let j = 0; j < cols; j++) {
      const value = matrix[offset + j] as number;
      if (refLabels[j] === label) {
        if (isSelf && j === a) continue;
        // Positive pairs that are still too far apart.
        if (isInverted ? value < posMargin : value > posMargin) {
          posAnchors.push(a);
          positives.push(j);
        }
      } else if (isInverted ? value > negMargin : value < negMargin) {
        // Negative pairs that are still too close.
        negAnchors.push(a);
        negatives.push(j);
      }
    }
  }
  return {
    kind: 'pairs',
    posAnchors: posAnchors.toArray(),
    positives: positives.toArray(),
    negAnchors: negAnchors.toArray(),
    negatives: negatives.toArray(),
  };
}

/**
 * The pairs that violate a margin (PML `PairMarginMiner`): positive pairs farther apart than
 * `posMargin` and negative pairs closer than `negMargin` (for similarities: positive pairs less
 * similar than `posMargin`, negative pairs more similar than `negMargin`), row-major.
 *
 * Options (PML 2.8.1 defaults): `posMargin = 0.2`, `negMargin = 0.8`, `distance = lpDistance()`.
 *
 * @example
 * const pairs = pairMarginMiner({ posMargin: 0.2, negMargin: 0.8 }).mine({ embeddings, labels });
 * const loss = contrastiveLoss().compute({ embeddings, labels, indices: pairs });
 */
export function pairMarginMiner(options: PairMarginMinerOptions = {}): Miner {
  const o = parseOptions(pairMarginMinerOptions, options, "miner 'pair-margin'");
  const distance = o.distance ?? lpDistance();
  return defineMiner({
    name: 'pair-margin',
    outputKind: 'pairs',
    options: { ...o, distance },
    distance,
    select: (ctx) => selectPairMargin(ctx, o.posMargin, o.negMargin),
  });
}
