import { type Distance, EmbError, type Loss, type LossTerm, type LossTerms, parseOptions, quote } from '@emb/core';
import { lpDistance } from '@emb/distance';
import * as tf from '@tensorflow/tfjs-core';
import * as v from 'valibot';
import { distanceOption, reducerOption, seedOption, tripletsPerAnchorOption } from './common-options.js';
import { defineLoss, type LossContext } from './define-loss.js';
import { asChunked } from './reducers/define-reducer.js';
import { divisorReducer } from './reducers/divisor-reducer.js';
import { zeroLoss } from './reducers/zero-loss.js';
import { gatherFlat } from './tuples/gather-flat.js';
import { labelMasks } from './tuples/label-masks.js';
import { tripletSource } from './tuples/triplet-source.js';

/** Options schema of {@link marginLoss} (PML `MarginLoss`). */
export const marginLossOptions = v.strictObject({
  margin: v.optional(v.pipe(v.number(), v.finite()), 0.2),
  nu: v.optional(v.pipe(v.number(), v.finite()), 0),
  beta: v.optional(v.pipe(v.number(), v.finite()), 1.2),
  tripletsPerAnchor: tripletsPerAnchorOption,
  learnBeta: v.optional(v.boolean(), false),
  numClasses: v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1))), null),
  seed: seedOption,
  distance: distanceOption,
  reducer: reducerOption,
});

export type MarginLossOptions = v.InferInput<typeof marginLossOptions>;

const zero = (): LossTerm => ({ kind: 'already_reduced', losses: tf.scalar(0), indices: null });

/**
 * Margin loss of "Sampling Matters in Deep Embedding Learning" (Wu et al. 2017; PML
 * `MarginLoss`). For each triplet `(a, p, n)`:
 * `relu(d_ap - beta + margin) + relu(beta - d_an + margin)` (reversed for similarities),
 * summed and divided by the number of non-zero positive parts plus non-zero negative parts
 * (sub-loss `margin_loss`, reduced by `divisorReducer()`).
 *
 * `beta` is the learnt boundary between positives and negatives. With `learnBeta` it is
 * `loss.variables.beta`, a tf.Variable of shape [1], or [numClasses] with one boundary per
 * class (indexed by the anchor's label, which must then lie in [0, numClasses)); a
 * trainer optimises it with the network. The sub-loss `beta_reg_loss` is `nu * beta`
 * (added as is for one beta; per triplet and divided like `margin_loss` per class),
 * and 0 unless `learnBeta`. A learnt beta always stays in the graph (gradient 0 when
 * nothing is active), so `tf.variableGrads` works on every batch.
 *
 * Options (PML defaults): `margin = 0.2`, `nu = 0`, `beta = 1.2`, `tripletsPerAnchor = 'all'`,
 * `learnBeta = false`, `numClasses = null`, `distance = lpDistance()` (L2, normalised),
 * `reducer = divisorReducer()`, `seed = 0`.
 *
 * Without an indices tuple the loss uses every triplet the labels allow, or, with
 * `tripletsPerAnchor: n`, `n` random triplets per anchor (PML `get_random_triplet_indices`,
 * the same sampler as `randomTripletsMiner`). Each call draws fresh triplets from the loss's
 * own `createRng(seed)` stream, so a new loss with the same seed replays the same sequence.
 *
 * Over all triplets of a labelled batch with the divisor, mean or sum reducer the loss is
 * computed from the B x R matrix directly (each pair's hinge weighted by how many triplets
 * contain it): O(B R) memory, never a tensor per triplet.
 *
 * @example
 * const loss = marginLoss({ learnBeta: true, nu: 0.01, numClasses: 100 });
 * const { value, grads } = tf.variableGrads(() => loss.compute({ embeddings, labels }));
 */
export function marginLoss(options: MarginLossOptions = {}): Loss {
  const o = parseOptions(marginLossOptions, options, "loss 'margin'");
  const distance: Distance = o.distance ?? lpDistance();
  const reducer = o.reducer ?? divisorReducer();
  const numBetas = o.numClasses ?? 1;
  const perClass = numBetas > 1;
  // Not named: tfjs variable names are global, and two losses must not clash.
  const triplets = tripletSource(o.tripletsPerAnchor, o.seed);
  const betaVar = o.learnBeta ? tf.tidy(() => tf.variable(tf.fill([numBetas], o.beta), true)) : null;

  /** The class index of each anchor, checked against numClasses (anchors not in `used` get class 0). */
  const anchorClasses = (ctx: LossContext, anchors: Int32Array, used?: Float32Array): Int32Array => {
    const labels = ctx.labels;
    if (!labels) {
      throw new EmbError('INVALID_LABELS', `marginLoss with numClasses ${numBetas} needs labels to pick each anchor's beta.`);
    }
    const out = new Int32Array(anchors.length);
    for (let i = 0; i < anchors.length; i++) {
      if (used && !used[i]) continue;
      const label = labels[anchors[i] as number] as number;
      if (label < 0 || label >= numBetas) {
        throw new EmbError(
          'INVALID_LABELS',
          `marginLoss with numClasses ${numBetas} needs labels in [0, ${numBetas}), got ${quote(label)}; raise numClasses or remap the labels.`,
          { label, numClasses: numBetas },
        );
      }
      out[i] = label;
    }
    return out;
  };

  /** beta for each listed anchor: a scalar (one beta) or a [N] vector (per class), differentiable when learnt. */
  const betaFor = (ctx: LossContext, anchors: Int32Array, used?: Float32Array): tf.Tensor | number => {
    if (!perClass) return betaVar ? tf.reshape(betaVar, []) : o.beta;
    const classes = anchorClasses(ctx, anchors, used);
    // Fixed per-class betas all keep their initial value.
    if (!betaVar) return o.beta;
    // gatherFlat instead of tf.gather: the gather gradient is missing on wasm.
    return gatherFlat(tf.reshape(betaVar, [numBetas, 1]) as tf.Tensor2D, classes, new Int32Array(anchors.length));
  };

  /** No triplets: PML's zero losses. */
  const zeroTerms = () => ({ margin_loss: zero(), beta_reg_loss: zero() });

  return defineLoss({
    name: 'margin',
    options: {
      margin: o.margin,
      nu: o.nu,
      beta: o.beta,
      tripletsPerAnchor: o.tripletsPerAnchor,
      learnBeta: o.learnBeta,
      numClasses: o.numClasses,
      seed: o.seed,
    },
    ...(betaVar && { variables: { beta: betaVar } }),
    distance,
    reducer,
    terms: marginTerms,
    reduced(ctx) {
      const allOfBatch = !ctx.indices && o.tripletsPerAnchor === 'all';
      if (allOfBatch && ['divisor', 'mean', 'sum'].includes(reducer.name) && asChunked(reducer)) {
        return keepBeta(marginOverAllTriplets(ctx));
      }
      if (!betaVar) return null; // terms + reducer, in defineLoss
      // Same as terms + reducer, with the learnt beta kept in the graph (see keepBeta).
      const parts = Object.values(marginTerms(ctx)).map((term) => reducer.reduce(term, ctx.embeddings));
      return keepBeta(tf.addN(parts) as tf.Scalar);
    },
  });

  /**
   * Adds `0 * sum(beta)`: when every hinge is already 0 the reducers return a zero that
   * depends on the embeddings only, and tf.variableGrads would then throw for beta.
   */
  function keepBeta(loss: tf.Scalar): tf.Scalar {
    return betaVar ? (tf.add(loss, tf.mul(tf.sum(betaVar), 0)) as tf.Scalar) : loss;
  }

  function marginTerms(ctx: LossContext): LossTerms {
    const { anchors, positives, negatives } = triplets(ctx);
    if (anchors.length === 0) return zeroTerms();
    const d = ctx.distance;
    const beta = betaFor(ctx, anchors);
    const mat = ctx.matrix();
    const pos = tf.relu(tf.add(d.margin(gatherFlat(mat, anchors, positives), beta), o.margin));
    const neg = tf.relu(tf.add(d.margin(beta, gatherFlat(mat, anchors, negatives)), o.margin));
    let divisor = 0;
    for (const x of pos.dataSync()) if (x > 0) divisor++;
    for (const x of neg.dataSync()) if (x > 0) divisor++;
    const margin_loss: LossTerm = {
      kind: 'triplet',
      losses: tf.add(pos, neg) as tf.Tensor1D,
      indices: [anchors, positives, negatives],
      divisor,
    };
    let beta_reg_loss: LossTerm = zero();
    if (betaVar && !perClass) beta_reg_loss = { kind: 'already_reduced', losses: tf.mul(beta, o.nu) as tf.Scalar, indices: null };
    else if (betaVar) beta_reg_loss = { kind: 'element', losses: tf.mul(beta, o.nu) as tf.Tensor1D, indices: [anchors], divisor };
    return { margin_loss, beta_reg_loss };
  }

  /**
   * Sum over all triplets without listing them: the positive part of triplet (a, p, n)
   * depends only on (a, p) and occurs once per negative of a; the negative part depends
   * only on (a, n) and occurs once per positive of a. So each pair's hinge, weighted by
   * that count, over the dense B x R matrix gives the sum, the divisor and the count.
   */
  function marginOverAllTriplets(ctx: LossContext): tf.Scalar {
    const labels = ctx.labels as Int32Array;
    const { rows, cols, pos, neg } = labelMasks(labels, ctx.refLabels as Int32Array, ctx.isSelf);
    const numPos = new Float32Array(rows);
    const numNeg = new Float32Array(rows);
    for (let a = 0; a < rows; a++) {
      for (let j = 0; j < cols; j++) {
        numPos[a] = (numPos[a] as number) + (pos[a * cols + j] as number);
        numNeg[a] = (numNeg[a] as number) + (neg[a * cols + j] as number);
      }
    }
    const posWeight = new Float32Array(rows * cols);
    const negWeight = new Float32Array(rows * cols);
    const perAnchor = new Float32Array(rows);
    let total = 0;
    for (let a = 0; a < rows; a++) {
      perAnchor[a] = (numPos[a] as number) * (numNeg[a] as number);
      total += perAnchor[a] as number;
      for (let j = 0; j < cols; j++) {
        const k = a * cols + j;
        posWeight[k] = (pos[k] as number) * (numNeg[a] as number);
        negWeight[k] = (neg[k] as number) * (numPos[a] as number);
      }
    }
    if (total === 0) return zeroLoss(ctx.embeddings);
    const all = Int32Array.from({ length: rows }, (_, i) => i);
    // beta per anchor row: a scalar, or [B, 1] for per-class betas.
    const rowBeta = betaFor(ctx, all, perAnchor);
    const beta = typeof rowBeta === 'number' || rowBeta.rank === 0 ? rowBeta : tf.reshape(rowBeta, [rows, 1]);
    const d = ctx.distance;
    const mat = ctx.matrix();
    const posHinge = tf.relu(tf.add(d.margin(mat, beta), o.margin));
    const negHinge = tf.relu(tf.add(d.margin(beta, mat), o.margin));
    const posW = tf.tensor2d(posWeight, [rows, cols]);
    const negW = tf.tensor2d(negWeight, [rows, cols]);
    const sum = tf.add(tf.sum(tf.mul(posHinge, posW)), tf.sum(tf.mul(negHinge, negW))) as tf.Scalar;
    let divisor = 0;
    const ph = posHinge.dataSync();
    const nh = negHinge.dataSync();
    for (let k = 0; k < rows * cols; k++) {
      if ((ph[k] as number) > 0) divisor += posWeight[k] as number;
      if ((nh[k] as number) > 0) divisor += negWeight[k] as number;
    }
    const count = reducer.name === 'divisor' ? divisor : reducer.name === 'mean' ? total : 1;
    const marginPart = count === 0 ? zeroLoss(ctx.embeddings) : (tf.div(sum, count) as tf.Scalar);
    if (!betaVar) return marginPart;
    // beta_reg_loss: one learnt beta is added as is; per-class betas are summed over triplets.
    if (!perClass) return tf.add(marginPart, tf.mul(beta as tf.Tensor, o.nu)) as tf.Scalar;
    if (count === 0) return marginPart;
    const reg = tf.div(tf.mul(tf.sum(tf.mul(rowBeta as tf.Tensor, tf.tensor1d(perAnchor))), o.nu), count);
    return tf.add(marginPart, reg) as tf.Scalar;
  }
}
