import { type Distance, type Loss, parseOptions } from '@emb/core';
import { cosineSimilarity } from '@emb/distance';
import * as tf from '@tensorflow/tfjs-core';
import * as v from 'valibot';
import { distanceOption, reducerOption } from './common-options.js';
import { defineLoss } from './define-loss.js';
import { meanReducer } from './reducers/mean-reducer.js';
import { gatherFlat } from './tuples/gather-flat.js';
import { genericPairs } from './tuples/generic-pairs.js';
import { maskedLogSumExp } from './tuples/masked-log-sum-exp.js';
import { pairMasks } from './tuples/pair-masks.js';

/** Options schema of {@link ntxentLoss} (PML `NTXentLoss`). */
export const ntxentLossOptions = v.strictObject({
  temperature: v.optional(v.pipe(v.number(), v.finite(), v.gtValue(0)), 0.07),
  distance: distanceOption,
  reducer: reducerOption,
});

export type NTXentLossOptions = v.InferInput<typeof ntxentLossOptions>;

/**
 * NT-Xent, the normalised temperature-scaled cross entropy of SimCLR (Chen et al. 2020)
 * and InfoNCE / N-pairs with a temperature (PML `NTXentLoss`). One term per positive pair
 * `(a, p)`: `-log(exp(s_ap / t) / (exp(s_ap / t) + sum_n exp(s_an / t)))`, where `n` runs
 * over the negative pairs of the same anchor `a` (other positives are not in the
 * denominator; a negative pair listed twice counts twice). For a distance, `s = -d`.
 * A positive pair whose anchor has no negative pair contributes 0.
 *
 * Options (PML defaults): `temperature = 0.07`, `distance = cosineSimilarity()`,
 * `reducer = meanReducer()`.
 *
 * @example
 * // SimCLR: two augmented views of each image share a label
 * const loss = ntxentLoss({ temperature: 0.1 });
 * const value = loss.compute({ embeddings: tf.concat([view1, view2]), labels: [...ids, ...ids] });
 */
export function ntxentLoss(options: NTXentLossOptions = {}): Loss {
  const o = parseOptions(ntxentLossOptions, options, "loss 'ntxent'");
  const distance: Distance = o.distance ?? cosineSimilarity();
  const reducer = o.reducer ?? meanReducer();
  return defineLoss({
    name: 'ntxent',
    options: { temperature: o.temperature },
    distance,
    reducer,
    terms(ctx) {
      const pairs = genericPairs(ctx);
      if (!pairs || pairs.posAnchors.length === 0 || pairs.negAnchors.length === 0) {
        return { loss: { kind: 'already_reduced', losses: tf.scalar(0), indices: null } };
      }
      const { posAnchors, positives, negAnchors } = pairs;
      const mat = ctx.matrix();
      const rows = mat.shape[0];
      const scaled = tf.div(ctx.distance.isInverted ? mat : tf.neg(mat), o.temperature) as tf.Tensor2D;
      // log sum_n exp(s_an / t) per anchor, over the anchor's negative pairs (counted as listed).
      const neg = maskedLogSumExp(scaled, pairMasks(ctx, { counts: true }).neg);
      const rowHasNeg = new Uint8Array(rows);
      for (const a of negAnchors) rowHasNeg[a] = 1;
      const hasNeg = new Float32Array(posAnchors.length);
      for (let i = 0; i < posAnchors.length; i++) hasNeg[i] = rowHasNeg[posAnchors[i] as number] as number;
      const negLse = gatherFlat(tf.reshape(neg, [rows, 1]), posAnchors, new Int32Array(posAnchors.length));
      const pos = gatherFlat(scaled, posAnchors, positives);
      // -log(e^x / (e^x + e^L)) = softplus(L - x); 0 (with zero gradient) without negatives.
      const losses = tf.mul(tf.softplus(tf.sub(negLse, pos)), tf.tensor1d(hasNeg)) as tf.Tensor1D;
      return { loss: { kind: 'pos_pair', losses, indices: [posAnchors, positives] } };
    },
  });
}
