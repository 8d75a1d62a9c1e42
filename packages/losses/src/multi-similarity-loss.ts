import { type Distance, type Loss, parseOptions } from '@emb/core';
import { cosineSimilarity } from '@emb/distance';
import * as tf from '@tensorflow/tfjs-core';
import * as v from 'valibot';
import { distanceOption, finiteNumber, reducerOption } from './common-options.js';
import { defineLoss } from './define-loss.js';
import { meanReducer } from './reducers/mean-reducer.js';
import { maskedLogSumExp } from './tuples/masked-log-sum-exp.js';
import { pairMasks } from './tuples/pair-masks.js';

/** Options schema of {@link multiSimilarityLoss} (PML `MultiSimilarityLoss`). */
export const multiSimilarityLossOptions = v.strictObject({
  alpha: v.optional(finiteNumber, 2),
  beta: v.optional(finiteNumber, 50),
  base: v.optional(finiteNumber, 0.5),
  distance: distanceOption,
  reducer: reducerOption,
});

export type MultiSimilarityLossOptions = v.InferInput<typeof multiSimilarityLossOptions>;

/**
 * Multi-similarity loss (Wang et al. 2019; PML `MultiSimilarityLoss`). For each anchor i,
 * with `x = margin(d, base)` (`base - s` for a similarity s, `d - base` for a distance d):
 * `(1 / alpha) log(1 + sum_p exp(alpha x_ip)) + (1 / beta) log(1 + sum_n exp(-beta x_in))`
 * over its positives p and negatives n. An anchor without positives (or negatives) gets 0
 * for that part but still counts in the mean.
 *
 * Options (PML defaults): `alpha = 2`, `beta = 50`, `base = 0.5`,
 * `distance = cosineSimilarity()`, `reducer = meanReducer()`.
 *
 * Mask-based, like PML: an explicit tuple becomes 0/1 masks over the B x R matrix, so a
 * duplicated pair counts once; a tuple with at most one pair per side gives a zero loss.
 *
 * @example
 * const loss = multiSimilarityLoss({ alpha: 2, beta: 50, base: 0.5 });
 * const value = loss.compute({ embeddings, labels }); // tf.Scalar
 */
export function multiSimilarityLoss(options: MultiSimilarityLossOptions = {}): Loss {
  const o = parseOptions(multiSimilarityLossOptions, options, "loss 'multi-similarity'");
  const distance: Distance = o.distance ?? cosineSimilarity();
  const reducer = o.reducer ?? meanReducer();
  const { alpha, beta, base } = o;
  return defineLoss({
    name: 'multi-similarity',
    options: { alpha, beta, base },
    distance,
    reducer,
    terms(ctx) {
      const m = pairMasks(ctx);
      if (m.tooFew) return { loss: { kind: 'already_reduced', losses: tf.scalar(0), indices: null } };
      const mat = ctx.matrix();
      const posExp = ctx.distance.margin(mat, base);
      const negExp = ctx.distance.margin(base, mat);
      const pos = tf.div(maskedLogSumExp(tf.mul(posExp, alpha), m.pos, { addOne: true }), alpha);
      const neg = tf.div(maskedLogSumExp(tf.mul(negExp, beta), m.neg, { addOne: true }), beta);
      const indices = Int32Array.from({ length: m.rows }, (_, i) => i);
      return { loss: { kind: 'element', losses: tf.add(pos, neg) as tf.Tensor1D, indices: [indices] } };
    },
  });
}
