import { createRng, type Distance, EmbError, type Loss, parseOptions, quote } from '@emb/core';
import { cosineSimilarity } from '@emb/distance';
import * as tf from '@tensorflow/tfjs-core';
import * as v from 'valibot';
import { distanceOption, finiteNumber, positiveInteger, reducerOption, seedOption } from './common-options.js';
import { defineLoss } from './define-loss.js';
import { divisorReducer } from './reducers/divisor-reducer.js';
import { maskedLogSumExp } from './tuples/masked-log-sum-exp.js';
import { minerWeights } from './tuples/miner-weights.js';
import { oneHotMask } from './tuples/one-hot-mask.js';

/** Options schema of {@link proxyAnchorLoss} (PML `ProxyAnchorLoss`). */
export const proxyAnchorLossOptions = v.strictObject({
  numClasses: positiveInteger,
  embeddingSize: positiveInteger,
  margin: v.optional(finiteNumber, 0.1),
  alpha: v.optional(finiteNumber, 32),
  seed: seedOption,
  distance: distanceOption,
  reducer: reducerOption,
});

export type ProxyAnchorLossOptions = v.InferInput<typeof proxyAnchorLossOptions>;

/**
 * Proxy-anchor loss (Kim et al. 2020; PML `ProxyAnchorLoss`): one learnable proxy per class,
 * `variables.proxies` [numClasses, embeddingSize]. With `s` the similarity between batch
 * element i and proxy c:
 * `pos_loss = sum_c log(1 + sum_{i in c} exp(-alpha (s_ic - margin)))`, divided by the
 * number of classes present in the batch, and
 * `neg_loss = sum_c log(1 + sum_{i not in c} exp(alpha (s_ic + margin)))`, divided by
 * `numClasses`. Labels must be class ids in `[0, numClasses)`.
 *
 * Options (PML defaults): `numClasses`, `embeddingSize` (required), `margin = 0.1`,
 * `alpha = 32`, `seed = 0` (the proxies start as PML's: Kaiming normal with
 * `mode = 'fan_out'`, i.e. N(0, 2 / numClasses), drawn from `createRng(seed)`),
 * `distance = cosineSimilarity()`, `reducer = divisorReducer()`.
 *
 * An indices tuple from a miner only re-weights batch elements (PML `convert_to_weights`):
 * elements it never mentions get their logits lowered by 1.
 *
 * @example
 * const loss = proxyAnchorLoss({ numClasses: 100, embeddingSize: 128 });
 * const optimizer = tf.train.adam(1e-2);
 * optimizer.minimize(() => loss.compute({ embeddings: net(x), labels }), false,
 *   [...netWeights, loss.variables.proxies]);
 */
export function proxyAnchorLoss(options: ProxyAnchorLossOptions): Loss {
  const o = parseOptions(proxyAnchorLossOptions, options, "loss 'proxy-anchor'");
  const distance: Distance = o.distance ?? cosineSimilarity();
  const reducer = o.reducer ?? divisorReducer();
  const { numClasses, embeddingSize, margin, alpha, seed } = o;
  const rng = createRng(seed);
  const std = Math.sqrt(2 / numClasses);
  const init = new Float32Array(numClasses * embeddingSize);
  for (let k = 0; k < init.length; k++) init[k] = rng.normal() * std;
  const initial = tf.tensor2d(init, [numClasses, embeddingSize]);
  const proxies = tf.variable(initial, true);
  initial.dispose();
  return defineLoss({
    name: 'proxy-anchor',
    options: { numClasses, embeddingSize, margin, alpha, seed },
    distance,
    reducer,
    variables: { proxies },
    requiresLabels: true,
    acceptsRef: false,
    terms(ctx) {
      const labels = ctx.labels as Int32Array;
      const b = labels.length;
      if (ctx.embeddings.shape[1] !== embeddingSize) {
        throw new EmbError(
          'DIMENSION_MISMATCH',
          `loss 'proxy-anchor' was built for embeddingSize ${embeddingSize}, got embeddings of dimension ${quote(ctx.embeddings.shape[1])}. Create the loss with embeddingSize: ${ctx.embeddings.shape[1]}, or change the model's output size.`,
          { expected: embeddingSize, actual: ctx.embeddings.shape[1] },
        );
      }
      const pos = oneHotMask(labels, numClasses, "loss 'proxy-anchor'");
      const neg = new Uint8Array(pos.length);
      for (let k = 0; k < pos.length; k++) neg[k] = pos[k] ? 0 : 1;
      const present = new Set(labels).size;
      // PML adds (weight - 1) to the logits: 0 without a tuple, -1 for elements a miner skipped.
      const w = minerWeights(ctx.indices, b);
      const shift = tf.tensor2d(
        Float32Array.from(w, (x) => x - 1),
        [b, 1],
      );
      const sim = ctx.distance.pairwise(ctx.embeddings, proxies) as tf.Tensor2D;
      const posLogits = tf.add(tf.mul(ctx.distance.margin(sim, margin), alpha), shift) as tf.Tensor2D;
      const negLogits = tf.add(tf.mul(ctx.distance.margin(-margin, sim), alpha), shift) as tf.Tensor2D;
      const classes = Int32Array.from({ length: numClasses }, (_, c) => c);
      return {
        pos_loss: {
          kind: 'element',
          losses: maskedLogSumExp(posLogits, pos, { axis: 0, addOne: true }),
          indices: [classes],
          divisor: present,
        },
        neg_loss: {
          kind: 'element',
          losses: maskedLogSumExp(negLogits, neg, { axis: 0, addOne: true }),
          indices: [classes],
          divisor: numClasses,
        },
      };
    },
  });
}
