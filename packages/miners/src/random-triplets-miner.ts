import { type Miner, parseOptions, randomTripletIndices } from '@emb/core';
import { lpDistance } from '@emb/distance';
import * as v from 'valibot';
import { defineMiner } from './define-miner.js';
import { distanceOption, positiveInteger, randomOptions } from './internal/option-schemas.js';
import { resolveRng } from './internal/resolve-rng.js';

/** Options schema of {@link randomTripletsMiner}. */
export const randomTripletsMinerOptions = v.strictObject({
  tripletsPerAnchor: v.optional(v.nullable(positiveInteger), null),
  ...randomOptions,
  distance: distanceOption,
});

export type RandomTripletsMinerOptions = v.InferInput<typeof randomTripletsMinerOptions>;

/**
 * Random triplets (PML's `get_random_triplet_indices`, what PML's triplet-based losses
 * sample when given no miner): each anchor with a positive and a negative gets
 * `tripletsPerAnchor` triplets with a uniformly drawn positive (never itself) and a uniformly
 * drawn negative. Replayable: the miner draws from `createRng(seed)` (or the `rng` you pass),
 * so the same seed and the same inputs give the same tuples, call after call.
 *
 * Options: `tripletsPerAnchor = null` (PML: as many as the anchor's class has rows), `seed = 0`,
 * `rng` (overrides `seed`), `distance = lpDistance()` (only for the statistics).
 *
 * @example
 * const miner = randomTripletsMiner({ tripletsPerAnchor: 5, seed: 42 });
 * const triplets = miner.mine({ embeddings, labels });
 */
export function randomTripletsMiner(options: RandomTripletsMinerOptions = {}): Miner {
  const o = parseOptions(randomTripletsMinerOptions, options, "miner 'random-triplets'");
  const distance = o.distance ?? lpDistance();
  const rng = resolveRng(o);
  return defineMiner({
    name: 'random-triplets',
    outputKind: 'triplets',
    options: { ...o, distance },
    distance,
    select: (ctx) =>
      randomTripletIndices(ctx.labels, rng, {
        refLabels: ctx.isSelf ? null : ctx.refLabels,
        tripletsPerAnchor: o.tripletsPerAnchor,
      }),
  });
}
