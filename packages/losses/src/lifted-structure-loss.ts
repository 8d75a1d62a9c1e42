import { type Distance, type Loss, parseOptions } from '@emb/core';
import { lpDistance } from '@emb/distance';
import * as tf from '@tensorflow/tfjs-core';
import * as v from 'valibot';
import { distanceOption, reducerOption } from './common-options.js';
import { defineLoss } from './define-loss.js';
import { meanReducer } from './reducers/mean-reducer.js';
import { gatherFlat } from './tuples/gather-flat.js';
import { genericPairs } from './tuples/generic-pairs.js';
import { maskedLogSumExp } from './tuples/masked-log-sum-exp.js';
import { pairMasks } from './tuples/pair-masks.js';

/** Options schema of {@link liftedStructureLoss} (PML `LiftedStructureLoss`). */
export const liftedStructureLossOptions = v.strictObject({
  negMargin: v.optional(v.pipe(v.number(), v.finite()), 1),
  posMargin: v.optional(v.pipe(v.number(), v.finite()), 0),
  distance: distanceOption,
  reducer: reducerOption,
});

export type LiftedStructureLossOptions = v.InferInput<typeof liftedStructureLossOptions>;

/**
 * Lifted structured loss (Oh Song et al. 2016; PML `LiftedStructureLoss`). For each
 * positive pair `(a, p)`:
 * `relu(log(sum_n exp(negMargin - d_n)) + d_ap - posMargin)^2 / 2`, where `n` runs over the
 * negative pairs whose anchor is `a` or `p` (a pair listed twice counts twice); without any
 * such negative the log-sum-exp is 0. For similarities the margins are reversed.
 *
 * Options (PML defaults): `negMargin = 1`, `posMargin = 0`,
 * `distance = lpDistance()` (L2, normalised), `reducer = meanReducer()`.
 *
 * Memory is O(B x R): the log-sum-exp is taken per anchor row of the distance matrix and
 * each positive pair combines the rows of its two ends.
 *
 * @example
 * const loss = liftedStructureLoss({ negMargin: 1.2 });
 * const value = loss.compute({ embeddings, labels });
 */
export function liftedStructureLoss(options: LiftedStructureLossOptions = {}): Loss {
  const o = parseOptions(liftedStructureLossOptions, options, "loss 'lifted-structure'");
  const distance: Distance = o.distance ?? lpDistance();
  const reducer = o.reducer ?? meanReducer();
  return defineLoss({
    name: 'lifted-structure',
    options: { negMargin: o.negMargin, posMargin: o.posMargin },
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
      const d = ctx.distance;
      const neg = maskedLogSumExp(d.margin(o.negMargin, mat), pairMasks(ctx, { counts: true }).neg);
      const rowLse = neg.dataSync();
      const nonEmpty = new Uint8Array(rows);
      for (const a of negAnchors) nonEmpty[a] = 1;
      // Pair i draws its negatives from the rows of its anchor and (PML compares raw index
      // values) of its positive's index. Row `rows` stands for "no row": p = a, or p >= B.
      const n = posAnchors.length;
      const first = new Int32Array(n);
      const second = new Int32Array(n);
      const has1 = new Float32Array(n);
      const has2 = new Float32Array(n);
      const shift = new Float32Array(n);
      const none = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const a = posAnchors[i] as number;
        const p = positives[i] as number;
        const b = p !== a && p < rows ? p : rows;
        first[i] = a;
        second[i] = b;
        has1[i] = nonEmpty[a] as number;
        has2[i] = b < rows ? (nonEmpty[b] as number) : 0;
        let m = Number.NEGATIVE_INFINITY;
        if (has1[i]) m = rowLse[a] as number;
        if (has2[i]) m = Math.max(m, rowLse[b] as number);
        if (m === Number.NEGATIVE_INFINITY) none[i] = 1;
        else shift[i] = m;
      }
      const lse = tf.tidy(() => {
        const ext = tf.reshape(tf.concat([neg, tf.zeros([1])]), [rows + 1, 1]) as tf.Tensor2D;
        const zeros = new Int32Array(n);
        const s = tf.tensor1d(shift);
        // logaddexp of the present rows: the shift keeps exp finite, and an absent row's
        // argument is zeroed before exp so it cannot overflow (no NaN in the gradient).
        const term = (idx: Int32Array, has: Float32Array) => {
          const hasT = tf.tensor1d(has);
          return tf.mul(tf.exp(tf.mul(tf.sub(gatherFlat(ext, idx, zeros), s), hasT)), hasT);
        };
        return tf.add(tf.log(tf.add(tf.add(term(first, has1), term(second, has2)), tf.tensor1d(none))), s);
      });
      const ap = gatherFlat(mat, posAnchors, positives);
      const losses = tf.div(tf.square(tf.relu(tf.add(lse, d.margin(ap, o.posMargin)))), 2) as tf.Tensor1D;
      return { loss: { kind: 'pos_pair', losses, indices: [posAnchors, positives] } };
    },
  });
}
