import { type Distance, parseOptions } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import * as v from 'valibot';
import { defineDistance } from './define-distance.js';

/** Options schema of {@link dotProductSimilarity} (PML `DotProductSimilarity`). */
export const dotProductSimilarityOptions = v.strictObject({
  power: v.optional(v.pipe(v.number(), v.finite(), v.gtValue(0)), 1),
  normalizeEmbeddings: v.optional(v.boolean(), true),
});

export type DotProductSimilarityOptions = v.InferInput<typeof dotProductSimilarityOptions>;

/**
 * Dot-product similarity `x . y` (PML `DotProductSimilarity`, `isInverted: true`).
 * Note PML's default: rows are L2-normalised first (`normalizeEmbeddings = true`), which
 * makes it cosine similarity; pass `false` for the raw dot product.
 *
 * @example
 * dotProductSimilarity({ normalizeEmbeddings: false }).pairwise(tf.tensor2d([[1, 2]])).print(); // [[5]]
 */
export function dotProductSimilarity(options: DotProductSimilarityOptions = {}): Distance {
  const o = parseOptions(dotProductSimilarityOptions, options, "distance 'dot-product'");
  return defineDistance({
    name: 'dot-product',
    isInverted: true,
    normalizeEmbeddings: o.normalizeEmbeddings,
    power: o.power,
    options: o,
    matrix: (query, ref) => tf.matMul(query, tf.transpose(ref ?? query)),
    paired: (query, ref) => tf.sum(tf.mul(query, ref), 1) as tf.Tensor1D,
  });
}
