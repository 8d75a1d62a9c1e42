import { type Distance, type Loss, type LossTerm, parseOptions } from '@emb/core';
import { lpDistance } from '@emb/distance';
import * as tf from '@tensorflow/tfjs-core';
import * as v from 'valibot';
import { distanceOption, reducerOption } from './common-options.js';
import { defineLoss } from './define-loss.js';
import { avgNonZeroReducer } from './reducers/avg-non-zero-reducer.js';
import { asChunked } from './reducers/define-reducer.js';
import { zeroLoss } from './reducers/zero-loss.js';
import { gatherFlat } from './tuples/gather-flat.js';
import { genericPairs } from './tuples/generic-pairs.js';

/** Options schema of {@link contrastiveLoss} (PML `ContrastiveLoss`). */
export const contrastiveLossOptions = v.strictObject({
  posMargin: v.optional(v.pipe(v.number(), v.finite()), 0),
  negMargin: v.optional(v.pipe(v.number(), v.finite()), 1),
  distance: distanceOption,
  reducer: reducerOption,
});

export type ContrastiveLossOptions = v.InferInput<typeof contrastiveLossOptions>;

const zero = (): LossTerm => ({ kind: 'already_reduced', losses: tf.scalar(0), indices: null });

/**
 * Contrastive loss (Hadsell, Chopra and LeCun 2006; PML `ContrastiveLoss`): positive pairs
 * are pulled closer than `posMargin`, negative pairs pushed beyond `negMargin`.
 * Per positive pair `max(0, d - posMargin)`, per negative pair `max(0, negMargin - d)`
 * (the other way round for similarities). The two parts are separate sub-losses
 * (`pos_loss`, `neg_loss`), each reduced on its own and then added, so with the default
 * reducer the loss is `mean_nonzero(pos) + mean_nonzero(neg)`. A pair listed twice counts twice.
 *
 * Options (PML defaults): `posMargin = 0`, `negMargin = 1`,
 * `distance = lpDistance()` (L2, normalised), `reducer = avgNonZeroReducer()`.
 *
 * @example
 * const loss = contrastiveLoss({ negMargin: 0.8 });
 * const value = loss.compute({ embeddings, labels }); // tf.Scalar
 */
export function contrastiveLoss(options: ContrastiveLossOptions = {}): Loss {
  const o = parseOptions(contrastiveLossOptions, options, "loss 'contrastive'");
  const distance: Distance = o.distance ?? lpDistance();
  const reducer = o.reducer ?? avgNonZeroReducer();
  return defineLoss({
    name: 'contrastive',
    options: { posMargin: o.posMargin, negMargin: o.negMargin },
    distance,
    reducer,
    terms(ctx) {
      const pairs = genericPairs(ctx);
      if (!pairs) return { pos_loss: zero(), neg_loss: zero() };
      const { posAnchors, positives, negAnchors, negatives } = pairs;
      const mat = ctx.matrix();
      const d = ctx.distance;
      return {
        pos_loss: posAnchors.length
          ? {
              kind: 'pos_pair',
              losses: tf.relu(d.margin(gatherFlat(mat, posAnchors, positives), o.posMargin)) as tf.Tensor1D,
              indices: [posAnchors, positives],
            }
          : zero(),
        neg_loss: negAnchors.length
          ? {
              kind: 'neg_pair',
              losses: tf.relu(d.margin(o.negMargin, gatherFlat(mat, negAnchors, negatives))) as tf.Tensor1D,
              indices: [negAnchors, negatives],
            }
          : zero(),
      };
    },
    reduced(ctx) {
      // Both hinges are linear in the distance where they are active, so with a reducer that
      // only counts (mean, sum, non-zero mean) the loss is sum(W * D) + c for a constant
      // weight matrix W built from the read-back distances: one B x R product instead of a
      // gather, a tensor and a read-back per pair.
      if (!['mean', 'sum', 'avg-non-zero'].includes(reducer.name) || !asChunked(reducer)) return null;
      const mat = ctx.matrix();
      const [rows, cols] = mat.shape;
      const values = mat.dataSync();
      const sign = ctx.distance.isInverted ? -1 : 1;
      type Side = { w: Float32Array; margin: number; dir: number; entries: number; active: number };
      const posSide: Side = { w: new Float32Array(rows * cols), margin: o.posMargin, dir: sign, entries: 0, active: 0 };
      const negSide: Side = { w: new Float32Array(rows * cols), margin: o.negMargin, dir: -sign, entries: 0, active: 0 };
      // A pos term is relu(dir * (d - m)), a neg term relu(dir * (d - m)) with dir = -sign:
      // active terms add dir * d to the sum and -dir * m to the constant.
      const visit = (side: Side, k: number) => {
        side.entries++;
        if (side.dir * ((values[k] as number) - side.margin) > 0) {
          side.w[k] = (side.w[k] as number) + side.dir;
          side.active++;
        }
      };
      if (ctx.indices) {
        const pairs = genericPairs(ctx);
        if (!pairs) return null;
        for (let i = 0; i < pairs.posAnchors.length; i++)
          visit(posSide, (pairs.posAnchors[i] as number) * cols + (pairs.positives[i] as number));
        for (let i = 0; i < pairs.negAnchors.length; i++)
          visit(negSide, (pairs.negAnchors[i] as number) * cols + (pairs.negatives[i] as number));
      } else {
        const labels = ctx.labels as Int32Array;
        const refLabels = ctx.refLabels as Int32Array;
        for (let i = 0; i < rows; i++) {
          const li = labels[i];
          for (let j = 0; j < cols; j++) {
            if (refLabels[j] !== li) visit(negSide, i * cols + j);
            else if (!(ctx.isSelf && i === j)) visit(posSide, i * cols + j);
          }
        }
        if (posSide.entries <= 1 && negSide.entries <= 1) return null; // PML ignores such batches
      }
      const part = (side: Side) => {
        const count = reducer.name === 'mean' ? side.entries : reducer.name === 'sum' ? 1 : side.active;
        return {
          w: side.w,
          active: side.active,
          count: side.entries === 0 ? 0 : count,
          constant: -side.dir * side.margin * side.active,
        };
      };
      const pos = part(posSide);
      const neg = part(negSide);
      if (pos.count === 0 && neg.count === 0) return zeroLoss(ctx.embeddings);
      const weights = new Float32Array(rows * cols);
      let constant = 0;
      for (const part of [pos, neg]) {
        if (part.count === 0 || part.active === 0) continue;
        for (let k = 0; k < weights.length; k++) weights[k] = (weights[k] as number) + (part.w[k] as number) / part.count;
        constant += part.constant / part.count;
      }
      return tf.add(
        tf.add(tf.sum(tf.mul(mat, tf.tensor2d(weights, [rows, cols]))), constant),
        zeroLoss(ctx.embeddings),
      ) as tf.Scalar;
    },
  });
}
