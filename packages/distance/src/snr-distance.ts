import { type Distance, parseOptions } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import * as v from 'valibot';
import { defineDistance } from './define-distance.js';
import { squaredEuclidean } from './squared-euclidean.js';

/** Options schema of {@link snrDistance} (PML `SNRDistance`). */
export const snrDistanceOptions = v.strictObject({
  power: v.optional(v.pipe(v.number(), v.finite(), v.gtValue(0)), 1),
  normalizeEmbeddings: v.optional(v.boolean(), true),
});

export type SnrDistanceOptions = v.InferInput<typeof snrDistanceOptions>;

/** Unbiased variance of each row (torch.var's default), [N]. */
function rowVariance(x: tf.Tensor2D): tf.Tensor1D {
  const d = x.shape[1];
  const mean = tf.mean(x, 1, true);
  return tf.div(tf.sum(tf.square(tf.sub(x, mean)), 1), d - 1) as tf.Tensor1D;
}

/**
 * Signal-to-noise ratio distance (Yuan et al. 2019; PML `SNRDistance`):
 * `var(x - y) / var(x)`. The pairwise variance is expanded as
 * `(|x - y|^2 - D (mean(x) - mean(y))^2) / (D - 1)` so no [B, R, D] tensor is formed.
 *
 * @example
 * snrDistance().pairwise(embeddings); // [B, B], 0 on the diagonal
 */
export function snrDistance(options: SnrDistanceOptions = {}): Distance {
  const o = parseOptions(snrDistanceOptions, options, "distance 'snr'");
  return defineDistance({
    name: 'snr',
    isInverted: false,
    normalizeEmbeddings: o.normalizeEmbeddings,
    power: o.power,
    options: o,
    matrix(query, ref) {
      const r = ref ?? query;
      const d = query.shape[1];
      const meanDiff = tf.sub(tf.mean(query, 1, true), tf.reshape(tf.mean(r, 1), [1, r.shape[0]]));
      const pairVar = tf.div(tf.relu(tf.sub(squaredEuclidean(query, ref), tf.mul(tf.square(meanDiff), d))), d - 1);
      return tf.div(pairVar, tf.expandDims(rowVariance(query), 1)) as tf.Tensor2D;
    },
    paired(query, ref) {
      return tf.div(rowVariance(tf.sub(query, ref)), rowVariance(query)) as tf.Tensor1D;
    },
  });
}
