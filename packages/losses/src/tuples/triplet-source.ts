import { createRng, randomTripletIndices, type TripletIndices } from '@emb/core';
import type { LossContext } from '../define-loss.js';
import { allTriplets } from './all-triplets.js';
import { convertToTriplets } from './convert-to-triplets.js';

/**
 * The triplets a triplet loss works on (PML `lmu.convert_to_triplets`): the explicit tuple
 * converted to triplets; otherwise every triplet the labels allow (`tripletsPerAnchor =
 * 'all'`) or `tripletsPerAnchor` random triplets per anchor (PML `get_random_triplet_indices`,
 * shared with the random miners as `randomTripletIndices` from `@emb/core`).
 *
 * The random draws come from one `createRng(seed)` stream per source: each loss call draws
 * fresh triplets, and a new loss with the same seed replays the same sequence. Within one
 * call (one {@link LossContext}) the triplets are drawn once, so a fast path that falls back
 * to `terms` sees the same triplets.
 *
 * @example
 * const triplets = tripletSource(5, 0); // inside a loss factory
 * const t = triplets(ctx); // inside terms(ctx) / reduced(ctx)
 */
export function tripletSource(tripletsPerAnchor: 'all' | number, seed: number | string): (ctx: LossContext) => TripletIndices {
  const rng = tripletsPerAnchor === 'all' ? null : createRng(seed);
  const drawn = new WeakMap<LossContext, TripletIndices>();
  return (ctx) => {
    if (ctx.indices) return convertToTriplets(ctx.indices);
    const labels = ctx.labels as Int32Array;
    const refLabels = ctx.refLabels as Int32Array;
    if (rng === null) return allTriplets(labels, refLabels, ctx.isSelf);
    let t = drawn.get(ctx);
    if (!t) {
      t = randomTripletIndices(labels, rng, {
        refLabels: ctx.isSelf ? null : refLabels,
        tripletsPerAnchor: tripletsPerAnchor as number,
      });
      drawn.set(ctx, t);
    }
    return t;
  };
}
