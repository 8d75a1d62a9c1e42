import { type Distance, EmbError, type Loss, parseOptions, quote, stopGradient } from '@emb/core';
import { cosineSimilarity } from '@emb/distance';
import * as tf from '@tensorflow/tfjs-core';
import * as v from 'valibot';
import { distanceOption, finiteNumber, reducerOption } from './common-options.js';
import { defineLoss } from './define-loss.js';
import { avgNonZeroReducer } from './reducers/avg-non-zero-reducer.js';
import { maskedLogSumExp } from './tuples/masked-log-sum-exp.js';
import { pairMasks } from './tuples/pair-masks.js';

/** Options schema of {@link circleLoss} (PML `CircleLoss`). */
export const circleLossOptions = v.strictObject({
  m: v.optional(finiteNumber, 0.4),
  gamma: v.optional(finiteNumber, 80),
  distance: distanceOption,
  reducer: reducerOption,
});

export type CircleLossOptions = v.InferInput<typeof circleLossOptions>;

/**
 * Circle loss (Sun et al. 2020; PML `CircleLoss`). For each anchor with similarities
 * `s_p` to its positives and `s_n` to its negatives:
 * `softplus(logsumexp_n(gamma a_n (s_n - m)) + logsumexp_p(-gamma a_p (s_p - (1 - m))))`
 * with the weights `a_p = relu(1 + m - s_p)` and `a_n = relu(s_n + m)`. As in PML (and the
 * paper) the weights are constants for the gradient (stop-gradient), so the gradient is
 * not the derivative of the value. Anchors without a positive or a negative get 0.
 *
 * Options (PML defaults): `m = 0.4`, `gamma = 80` (the paper suggests m = 0.25,
 * gamma = 256 for face recognition and re-identification), `distance = cosineSimilarity()`
 * (a normalised similarity is required), `reducer = avgNonZeroReducer()`.
 *
 * Mask-based: a duplicated pair in an explicit tuple counts once; a tuple with at most one
 * pair per side gives a zero loss.
 *
 * @example
 * const loss = circleLoss({ m: 0.25, gamma: 256 });
 * const value = loss.compute({ embeddings, labels }); // tf.Scalar
 */
export function circleLoss(options: CircleLossOptions = {}): Loss {
  const o = parseOptions(circleLossOptions, options, "loss 'circle'");
  const distance: Distance = o.distance ?? cosineSimilarity();
  if (!distance.isInverted || !distance.normalizeEmbeddings || distance.power !== 1) {
    // The optima 1 + m and -m only make sense for similarities in [-1, 1] (PML asserts CosineSimilarity).
    throw new EmbError(
      'INVALID_OPTION',
      `loss 'circle' needs a cosine similarity (normalised, power 1), got distance ${quote(distance.name)} with options ${quote(distance.options)}. Use cosineSimilarity().`,
      { distance: distance.name },
    );
  }
  const reducer = o.reducer ?? avgNonZeroReducer();
  const { m, gamma } = o;
  const op = 1 + m;
  const on = -m;
  const deltaP = 1 - m;
  const deltaN = m;
  return defineLoss({
    name: 'circle',
    options: { m, gamma },
    distance,
    reducer,
    terms(ctx) {
      const masks = pairMasks(ctx);
      if (masks.tooFew) return { loss: { kind: 'already_reduced', losses: tf.scalar(0), indices: null } };
      const mat = ctx.matrix();
      const fixed = stopGradient(mat);
      const alphaP = tf.relu(tf.sub(op, fixed));
      const alphaN = tf.relu(tf.sub(fixed, on));
      const logitP = tf.mul(tf.mul(alphaP, tf.sub(mat, deltaP)), -gamma) as tf.Tensor2D;
      const logitN = tf.mul(tf.mul(alphaN, tf.sub(mat, deltaN)), gamma) as tf.Tensor2D;
      const inner = tf.add(maskedLogSumExp(logitP, masks.pos), maskedLogSumExp(logitN, masks.neg));
      // Anchors lacking either side contribute 0 (PML zeroes those rows after the softplus).
      const valid = new Float32Array(masks.rows);
      for (let i = 0; i < masks.rows; i++) {
        let hasPos = false;
        let hasNeg = false;
        for (let j = 0; j < masks.cols; j++) {
          hasPos ||= masks.pos[i * masks.cols + j] === 1;
          hasNeg ||= masks.neg[i * masks.cols + j] === 1;
        }
        valid[i] = hasPos && hasNeg ? 1 : 0;
      }
      const losses = tf.mul(tf.softplus(inner), tf.tensor1d(valid)) as tf.Tensor1D;
      const indices = Int32Array.from({ length: masks.rows }, (_, i) => i);
      return { loss: { kind: 'element', losses, indices: [indices] } };
    },
  });
}
