import { type Miner, type PairIndices, parseOptions, type Rng } from '@emb/core';
import { lpDistance } from '@emb/distance';
import * as v from 'valibot';
import { defineMiner, type MiningContext } from './define-miner.js';
import { GrowableInt32 } from './internal/growable-int32.js';
import { labelGroups } from './internal/label-groups.js';
import { distanceOption, positiveInteger, randomOptions } from './internal/option-schemas.js';
import { resolveRng } from './internal/resolve-rng.js';

/** Options schema of {@link randomPairsMiner}. */
export const randomPairsMinerOptions = v.strictObject({
  pairsPerAnchor: v.optional(positiveInteger, 1),
  ...randomOptions,
  distance: distanceOption,
});

export type RandomPairsMinerOptions = v.InferInput<typeof randomPairsMinerOptions>;

function selectRandomPairs(ctx: MiningContext, rng: Rng, perAnchor: number): PairIndices {
  const { rows, cols, labels, refLabels, isSelf } = ctx;
  const groups = labelGroups(refLabels);
  const posAnchors = new GrowableInt32();
  const positives = new GrowableInt32();
  const negAnchors = new GrowableInt32();
  const negatives = new GrowableInt32();
  for (let a = 0; a < rows; a++) {
    const label = labels[a] as number;
    const same = groups.indicesOf(label);
    // The anchor's own position among its label's rows, skipped when drawing positives.
    const self = isSelf ? same.indexOf(a) : -1;
    const numPos = same.length - (self >= 0 ? 1 : 0);
    const numNeg = cols - same.length;
    for (let r = 0; r < perAnchor && numPos > 0; r++) {
      let q = rng.int(numPos);
      if (self >= 0 && q >= self) q++;
      posAnchors.push(a);
      positives.push(same[q] as number);
    }
    for (let r = 0; r < perAnchor && numNeg > 0; r++) {
      // The q-th column whose label differs, found by skipping over the label's rows.
      let q = rng.int(numNeg);
      let k = 0;
      while (k < same.length && (same[k] as number) <= q) {
        q++;
        k++;
      }
      negAnchors.push(a);
      negatives.push(q);
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
 * Random pairs: for every anchor, `pairsPerAnchor` positive pairs (a uniformly drawn row with
 * its label, never itself) and `pairsPerAnchor` negative pairs (a uniformly drawn row with
 * another label), drawn with replacement. Anchors without positives (or negatives) get none of
 * that side. Replayable from `seed` (or your `rng`).
 *
 * Options: `pairsPerAnchor = 1`, `seed = 0`, `rng` (overrides `seed`), `distance = lpDistance()`
 * (only for the statistics).
 *
 * @example
 * const pairs = randomPairsMiner({ pairsPerAnchor: 2, seed: 7 }).mine({ embeddings, labels });
 */
export function randomPairsMiner(options: RandomPairsMinerOptions = {}): Miner {
  const o = parseOptions(randomPairsMinerOptions, options, "miner 'random-pairs'");
  const distance = o.distance ?? lpDistance();
  const rng = resolveRng(o);
  return defineMiner({
    name: 'random-pairs',
    outputKind: 'pairs',
    options: { ...o, distance },
    distance,
    select: (ctx) => selectRandomPairs(ctx, rng, o.pairsPerAnchor),
  });
}
