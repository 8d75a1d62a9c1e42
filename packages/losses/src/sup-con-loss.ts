import { type Distance, type Loss, parseOptions } from '@emb/core';
import { cosineSimilarity } from '@emb/distance';
import * as tf from '@tensorflow/tfjs-core';
import * as v from 'valibot';
import { distanceOption, reducerOption } from './common-options.js';
import { defineLoss } from './define-loss.js';
import { avgNonZeroReducer } from './reducers/avg-non-zero-reducer.js';
import { maskedLogSumExp } from './tuples/masked-log-sum-exp.js';
import { pairMasks } from './tuples/pair-masks.js';

/** Options schema of {@link supConLoss} (PML `SupConLoss`). */
export const supConLossOptions = v.strictObject({
  temperature: v.optional(v.pipe(v.number(), v.finite(), v.gtValue(0)), 0.1),
  distance: distanceOption,
  reducer: reducerOption,
});

export type SupConLossOptions = v.InferInput<typeof supConLossOptions>;

/**
 * Supervised contrastive loss (Khosla et al. 2020; PML `SupConLoss`). For each anchor i,
 * minus the mean over its positives p of `log softmax(s_i / temperature)[p]`, the softmax
 * taken over all of i's positives and negatives (a distance is negated first). Anchors
 * without positives get 0 and are dropped by the default reducer.
 *
 * Options (PML defaults): `temperature = 0.1`, `distance = cosineSimilarity()`,
 * `reducer = avgNonZeroReducer()`.
 *
 * Mask-based: a duplicated pair in an explicit tuple counts once; the loss is 0 when there
 * is no positive or no negative pair, or at most one pair per side.
 *
 * @example
 * const loss = supConLoss({ temperature: 0.07 });
 * const value = loss.compute({ embeddings, labels }); // tf.Scalar
 */
export function supConLoss(options: SupConLossOptions = {}): Loss {
  const o = parseOptions(supConLossOptions, options, "loss 'sup-con'");
  const distance: Distance = o.distance ?? cosineSimilarity();
  const reducer = o.reducer ?? avgNonZeroReducer();
  const { temperature } = o;
  return defineLoss({
    name: 'sup-con',
    options: { temperature },
    distance,
    reducer,
    terms(ctx) {
      const m = pairMasks(ctx);
      if (m.tooFew || !m.anyPos || !m.anyNeg) {
        return { loss: { kind: 'already_reduced', losses: tf.scalar(0), indices: null } };
      }
      const { rows, cols, pos, neg } = m;
      const mat = ctx.matrix();
      // Higher must mean closer: negate distances.
      const logits = tf.div(ctx.distance.isInverted ? mat : tf.neg(mat), temperature) as tf.Tensor2D;
      const either = new Uint8Array(rows * cols);
      const posMask = new Float32Array(rows * cols);
      const invCount = new Float32Array(rows);
      for (let i = 0; i < rows; i++) {
        let n = 0;
        for (let j = 0; j < cols; j++) {
          const k = i * cols + j;
          either[k] = pos[k] || neg[k] ? 1 : 0;
          posMask[k] = pos[k] as number;
          n += pos[k] as number;
        }
        invCount[i] = n > 0 ? 1 / n : 0;
      }
      const denominator = tf.reshape(maskedLogSumExp(logits, either), [rows, 1]);
      const logProb = tf.sub(logits, denominator);
      const meanLogProbPos = tf.mul(tf.sum(tf.mul(logProb, tf.tensor2d(posMask, [rows, cols])), 1), tf.tensor1d(invCount));
      const indices = Int32Array.from({ length: rows }, (_, i) => i);
      return { loss: { kind: 'element', losses: tf.neg(meanLogProbPos) as tf.Tensor1D, indices: [indices] } };
    },
  });
}
