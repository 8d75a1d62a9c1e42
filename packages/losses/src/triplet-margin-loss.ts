import { type Distance, type Loss, parseOptions, type TripletIndices } from '@emb/core';
import { lpDistance } from '@emb/distance';
import * as tf from '@tensorflow/tfjs-core';
import * as v from 'valibot';
import { distanceOption, reducerOption, seedOption, tripletsPerAnchorOption } from './common-options.js';
import { defineLoss, type LossContext } from './define-loss.js';
import { avgNonZeroReducer } from './reducers/avg-non-zero-reducer.js';
import { asChunked, type ReducerPartial } from './reducers/define-reducer.js';
import { zeroLoss } from './reducers/zero-loss.js';
import { allTripletChunks } from './tuples/all-triplets.js';
import { gatherFlat } from './tuples/gather-flat.js';
import { tripletHingeSum, tripletListHingeSum } from './tuples/triplet-hinge-sum.js';
import { tripletSource } from './tuples/triplet-source.js';

/** Options schema of {@link tripletMarginLoss} (PML `TripletMarginLoss`). */
export const tripletMarginLossOptions = v.strictObject({
  margin: v.optional(v.pipe(v.number(), v.finite()), 0.05),
  swap: v.optional(v.boolean(), false),
  smoothLoss: v.optional(v.boolean(), false),
  tripletsPerAnchor: tripletsPerAnchorOption,
  seed: seedOption,
  distance: distanceOption,
  reducer: reducerOption,
});

export type TripletMarginLossOptions = v.InferInput<typeof tripletMarginLossOptions>;

/** Per-triplet terms `relu(margin(d_ap, d_an) + m)` (or softplus) for one list of triplets. */
function tripletTerms(
  ctx: LossContext,
  t: TripletIndices,
  o: { margin: number; swap: boolean; smoothLoss: boolean },
): tf.Tensor1D {
  const mat = ctx.matrix();
  const ap = gatherFlat(mat, t.anchors, t.positives);
  let an = gatherFlat(mat, t.anchors, t.negatives);
  if (o.swap) {
    // PML reads the positive-negative distance from the same matrix: mat[p, n].
    const pn = gatherFlat(mat, t.positives, t.negatives);
    an = (ctx.distance.isInverted ? tf.maximum(an, pn) : tf.minimum(an, pn)) as tf.Tensor1D;
  }
  const violation = tf.add(ctx.distance.margin(ap, an), o.margin);
  return (o.smoothLoss ? tf.softplus(violation) : tf.relu(violation)) as tf.Tensor1D;
}

/**
 * Triplet margin loss (Schultz and Joachims 2003; FaceNet, Schroff et al. 2015; PML
 * `TripletMarginLoss`): for each triplet (anchor a, positive p, negative n),
 * `max(0, d(a, p) - d(a, n) + margin)`, or `softplus(...)` with `smoothLoss`.
 * With `swap`, `d(a, n)` becomes `min(d(a, n), d(p, n))` (Balntas et al. 2016).
 *
 * Options (PML defaults): `margin = 0.05`, `swap = false`, `smoothLoss = false`,
 * `tripletsPerAnchor = 'all'`, `distance = lpDistance()` (L2, normalised),
 * `reducer = avgNonZeroReducer()`, `seed = 0`.
 *
 * Without an indices tuple the loss uses every triplet the labels allow, or, with
 * `tripletsPerAnchor: n`, `n` random triplets per anchor (PML `get_random_triplet_indices`,
 * the same sampler as `randomTripletsMiner`). Each call draws fresh triplets from the loss's
 * own `createRng(seed)` stream, so a new loss with the same seed replays the same sequence.
 *
 * Over all triplets of a labelled batch the default hinge loss is computed from the
 * B x R distance matrix with sorted prefix sums: O(B R log R) time and O(B R) memory,
 * never a tensor per triplet.
 *
 * @example
 * const loss = tripletMarginLoss({ margin: 0.2 });
 * const value = loss.compute({ embeddings, labels }); // tf.Scalar
 */
export function tripletMarginLoss(options: TripletMarginLossOptions = {}): Loss {
  const o = parseOptions(tripletMarginLossOptions, options, "loss 'triplet-margin'");
  const distance: Distance = o.distance ?? lpDistance();
  const reducer = o.reducer ?? avgNonZeroReducer();
  const hinge = { margin: o.margin, swap: o.swap, smoothLoss: o.smoothLoss };
  const triplets = tripletSource(o.tripletsPerAnchor, o.seed);
  return defineLoss({
    name: 'triplet-margin',
    options: { margin: o.margin, swap: o.swap, smoothLoss: o.smoothLoss, tripletsPerAnchor: o.tripletsPerAnchor, seed: o.seed },
    distance,
    reducer,
    terms(ctx) {
      const t = triplets(ctx);
      if (t.anchors.length === 0) return { loss: { kind: 'already_reduced', losses: tf.scalar(0), indices: null } };
      return { loss: { kind: 'triplet', losses: tripletTerms(ctx, t, hinge), indices: [t.anchors, t.positives, t.negatives] } };
    },
    reduced(ctx) {
      const linear = !o.swap && !o.smoothLoss && ['mean', 'sum', 'avg-non-zero'].includes(reducer.name) && asChunked(reducer);
      if (ctx.indices || o.tripletsPerAnchor !== 'all') {
        if (!linear) return null; // explicit or drawn tuples are lists already: terms + reducer
        const t = triplets(ctx);
        if (t.anchors.length === 0) return null;
        const s = tripletListHingeSum(ctx.matrix(), t.anchors, t.positives, t.negatives, ctx.distance.isInverted, o.margin);
        const count = reducer.name === 'mean' ? s.total : s.active;
        if (count === 0) return zeroLoss(ctx.embeddings);
        return reducer.name === 'sum' ? s.sum : (tf.div(s.sum, count) as tf.Scalar);
      }
      const labels = ctx.labels as Int32Array;
      const refLabels = ctx.refLabels as Int32Array;
      if (linear) {
        const s = tripletHingeSum(ctx.matrix(), labels, refLabels, ctx.isSelf, ctx.distance.isInverted, o.margin);
        const count = reducer.name === 'mean' ? s.total : s.active;
        if (count === 0) return zeroLoss(ctx.embeddings);
        return reducer.name === 'sum' ? s.sum : (tf.div(s.sum, count) as tf.Scalar);
      }
      const chunked = asChunked(reducer);
      if (!chunked) return null;
      const partials: ReducerPartial[] = [];
      for (const chunk of allTripletChunks(labels, refLabels, ctx.isSelf))
        partials.push(chunked.partial(tripletTerms(ctx, chunk, hinge)));
      return chunked.finish(partials, { kind: 'triplet' }, ctx.embeddings);
    },
  });
}
