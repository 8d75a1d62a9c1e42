import { createRng, type Distance, EmbError, type Loss, parseOptions, quote } from '@emb/core';
import { cosineSimilarity } from '@emb/distance';
import { defineLoss, distanceOption, meanReducer, minerWeights, oneHotMask, reducerOption } from '@emb/losses';
import * as tf from '@tensorflow/tfjs-core';
import * as v from 'valibot';

const positiveInteger = v.pipe(v.number(), v.integer(), v.minValue(1));
const finiteNumber = v.pipe(v.number(), v.finite());

/** Options schema of {@link cosFaceLoss} (PML `CosFaceLoss`). */
export const cosFaceLossOptions = v.strictObject({
  numClasses: positiveInteger,
  embeddingSize: positiveInteger,
  margin: v.optional(finiteNumber, 0.35),
  scale: v.optional(finiteNumber, 64),
  seed: v.optional(v.union([v.pipe(v.number(), v.integer()), v.string()]), 0),
  distance: distanceOption,
  reducer: reducerOption,
});

export type CosFaceLossOptions = v.InferInput<typeof cosFaceLossOptions>;

/**
 * CosFace (large margin cosine loss, Wang et al. 2018; PML 2.8.1 `CosFaceLoss`): a softmax
 * classifier on cosine logits with learnable class weights `variables.W`
 * [embeddingSize, numClasses] (PML's layout: one column per class). The cosine of the true
 * class is lowered by `margin`, then cross entropy on `scale * logits`, per batch element:
 *
 *     loss_i = -log( e^{s (cos_{i,y_i} - m)} / (e^{s (cos_{i,y_i} - m)} + sum_{j != y_i} e^{s cos_{i,j}}) )
 *
 * Unlike ArcFace's angular margin, the margin is subtracted from the cosine itself, so no
 * angle (acos) is needed and the logit stays monotone in the angle everywhere.
 *
 * Options (PML defaults): `numClasses`, `embeddingSize` (required), `margin = 0.35`,
 * `scale = 64`, `seed = 0` (W starts as PML's: standard normal, drawn from `createRng(seed)`),
 * `distance = cosineSimilarity()` (required to be a cosine), `reducer = meanReducer()`.
 * Labels must be class ids in `[0, numClasses)`; reference embeddings are not supported.
 *
 * An indices tuple from a miner only re-weights batch elements (PML `convert_to_weights`):
 * each element's loss is multiplied by `count / max(count)` of its appearances.
 *
 * @example
 * const loss = cosFaceLoss({ numClasses: 10, embeddingSize: 64 });
 * const optimizer = tf.train.adam(1e-3);
 * optimizer.minimize(() => loss.compute({ embeddings: net(x), labels }), false,
 *   [...netWeights, loss.variables.W]);
 */
export function cosFaceLoss(options: CosFaceLossOptions): Loss {
  const o = parseOptions(cosFaceLossOptions, options, "loss 'emb/cos-face'");
  const distance: Distance = o.distance ?? cosineSimilarity();
  if (!distance.isInverted || !distance.normalizeEmbeddings || distance.power !== 1) {
    // The margin is on a cosine (PML asserts CosineSimilarity).
    throw new EmbError(
      'INVALID_OPTION',
      `loss 'emb/cos-face' needs a cosine similarity (normalised, power 1), got distance ${quote(distance.name)} with options ${quote(distance.options)}. Use cosineSimilarity().`,
      { distance: distance.name },
    );
  }
  const reducer = o.reducer ?? meanReducer();
  const { numClasses, embeddingSize, margin, scale, seed } = o;
  const rng = createRng(seed);
  const init = new Float32Array(embeddingSize * numClasses);
  for (let k = 0; k < init.length; k++) init[k] = rng.normal();
  const initial = tf.tensor2d(init, [embeddingSize, numClasses]);
  const W = tf.variable(initial, true);
  initial.dispose();
  return defineLoss({
    name: 'emb/cos-face',
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
          `loss 'emb/cos-face' was built for embeddingSize ${embeddingSize}, got embeddings of dimension ${quote(ctx.embeddings.shape[1])}.`,
          { expected: embeddingSize, actual: ctx.embeddings.shape[1] },
        );
      }
      // A constant one-hot mask picks the true class (tf.gather has no gradient on wasm).
      const target = tf.tensor2d(oneHotMask(labels, numClasses, "loss 'emb/cos-face'"), [b, numClasses]);
      // Explicit transpose: matMul with transposeB is much slower on wasm.
      const cosine = ctx.distance.pairwise(ctx.embeddings, tf.transpose(W) as tf.Tensor2D);
      // PML: logits = cosine + mask * (modified - cosine), modified = cosine - margin.
      const logits = tf.mul(tf.sub(cosine, tf.mul(target, margin)), scale) as tf.Tensor2D;
      const crossEntropy = tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(logits, target), 1));
      const weights = tf.tensor1d(Float32Array.from(minerWeights(ctx.indices, b)));
      const indices = Int32Array.from({ length: b }, (_, i) => i);
      return { loss: { kind: 'element', losses: tf.mul(crossEntropy, weights) as tf.Tensor1D, indices: [indices] } };
    },
  });
}
