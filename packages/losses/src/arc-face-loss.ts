import { createRng, type Distance, EmbError, type Loss, parseOptions, quote } from '@emb/core';
import { cosineSimilarity, safeSqrt } from '@emb/distance';
import * as tf from '@tensorflow/tfjs-core';
import * as v from 'valibot';
import { distanceOption, finiteNumber, positiveInteger, reducerOption, seedOption } from './common-options.js';
import { defineLoss } from './define-loss.js';
import { meanReducer } from './reducers/mean-reducer.js';
import { minerWeights } from './tuples/miner-weights.js';
import { oneHotMask } from './tuples/one-hot-mask.js';

/** Options schema of {@link arcFaceLoss} (PML `ArcFaceLoss`). */
export const arcFaceLossOptions = v.strictObject({
  numClasses: positiveInteger,
  embeddingSize: positiveInteger,
  margin: v.optional(finiteNumber, 28.6),
  scale: v.optional(finiteNumber, 64),
  seed: seedOption,
  distance: distanceOption,
  reducer: reducerOption,
});

export type ArcFaceLossOptions = v.InferInput<typeof arcFaceLossOptions>;

/**
 * ArcFace (additive angular margin, Deng et al. 2019; PML `ArcFaceLoss`): a softmax
 * classifier on cosine logits with learnable class weights `variables.W`
 * [embeddingSize, numClasses] (PML's layout: one column per class). The logit of the true
 * class, at angle theta, becomes `cos(theta + margin)`; where `theta + margin` would pass
 * 180 degrees it becomes `cos(theta) - margin sin(margin)` instead, which keeps the logit
 * decreasing in theta (as PML 2.x does). Then cross entropy on `scale * logits`, per batch
 * element. Labels must be class ids in `[0, numClasses)`.
 *
 * Options (PML defaults): `numClasses`, `embeddingSize` (required), `margin = 28.6`
 * (degrees), `scale = 64`, `seed = 0` (W starts as PML's: standard normal, drawn from
 * `createRng(seed)`), `distance = cosineSimilarity()` (required to be a cosine),
 * `reducer = meanReducer()`.
 *
 * An indices tuple from a miner only re-weights batch elements (PML `convert_to_weights`):
 * each element's loss is multiplied by `count / max(count)` of its appearances.
 *
 * @example
 * const loss = arcFaceLoss({ numClasses: 10, embeddingSize: 64 });
 * const optimizer = tf.train.sgd(0.1);
 * optimizer.minimize(() => loss.compute({ embeddings: net(x), labels }), false,
 *   [...netWeights, loss.variables.W]);
 */
export function arcFaceLoss(options: ArcFaceLossOptions): Loss {
  const o = parseOptions(arcFaceLossOptions, options, "loss 'arc-face'");
  const distance: Distance = o.distance ?? cosineSimilarity();
  if (!distance.isInverted || !distance.normalizeEmbeddings || distance.power !== 1) {
    // Angles are only defined for cosines (PML asserts CosineSimilarity).
    throw new EmbError(
      'INVALID_OPTION',
      `loss 'arc-face' needs a cosine similarity (normalised, power 1), got distance ${quote(distance.name)} with options ${quote(distance.options)}. Use cosineSimilarity().`,
      { distance: distance.name },
    );
  }
  const reducer = o.reducer ?? meanReducer();
  const { numClasses, embeddingSize, margin, scale, seed } = o;
  const radians = (margin * Math.PI) / 180;
  const cosM = Math.cos(radians);
  const sinM = Math.sin(radians);
  const rng = createRng(seed);
  const init = new Float32Array(embeddingSize * numClasses);
  for (let k = 0; k < init.length; k++) init[k] = rng.normal();
  const initial = tf.tensor2d(init, [embeddingSize, numClasses]);
  const W = tf.variable(initial, true);
  initial.dispose();
  return defineLoss({
    name: 'arc-face',
    options: { numClasses, embeddingSize, margin, scale, seed },
    distance,
    reducer,
    variables: { W },
    requiresLabels: true,
    acceptsRef: false,
    terms(ctx) {
      const labels = ctx.labels as Int32Array;
      const b = labels.length;
      if (ctx.embeddings.shape[1] !== embeddingSize) {
        throw new EmbError(
          'DIMENSION_MISMATCH',
          `loss 'arc-face' was built for embeddingSize ${embeddingSize}, got embeddings of dimension ${quote(ctx.embeddings.shape[1])}. Create the loss with embeddingSize: ${ctx.embeddings.shape[1]}, or change the model's output size.`,
          { expected: embeddingSize, actual: ctx.embeddings.shape[1] },
        );
      }
      const target = tf.tensor2d(oneHotMask(labels, numClasses, "loss 'arc-face'"), [b, numClasses]);
      // Explicit transpose: matMul with transposeB is much slower on wasm.
      const cosine = ctx.distance.pairwise(ctx.embeddings, tf.transpose(W) as tf.Tensor2D);
      // The true class's cosine by a dense mask (tf.gather has no gradient on wasm), clamped as PML's acos input.
      const raw = tf.sum(tf.mul(cosine, target), 1);
      const c = tf.clipByValue(raw, -1, 1);
      // cos(acos(c) + m) without acos; safeSqrt keeps the gradient finite at |c| = 1.
      const withMargin = tf.sub(tf.mul(c, cosM), tf.mul(safeSqrt(tf.sub(1, tf.square(c))), sinM));
      const fallback = tf.sub(c, radians * sinM);
      // theta <= pi - m  <=>  c >= -cos(m): decided on values, no gradient through the choice.
      const values = c.dataSync();
      const inRange = Float32Array.from(values, (x) => (x >= -cosM ? 1 : 0));
      const choose = tf.tensor1d(inRange);
      const modified = tf.add(tf.mul(choose, withMargin), tf.mul(tf.sub(1, choose), fallback));
      const diff = tf.reshape(tf.sub(modified, raw), [b, 1]);
      const logits = tf.mul(tf.add(cosine, tf.mul(target, diff)), scale) as tf.Tensor2D;
      const crossEntropy = tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(logits, target), 1));
      const weights = tf.tensor1d(Float32Array.from(minerWeights(ctx.indices, b)));
      const indices = Int32Array.from({ length: b }, (_, i) => i);
      return { loss: { kind: 'element', losses: tf.mul(crossEntropy, weights) as tf.Tensor1D, indices: [indices] } };
    },
  });
}
