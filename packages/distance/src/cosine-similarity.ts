import { type Distance, parseOptions } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import * as v from 'valibot';
import { defineDistance } from './define-distance.js';

/** Options schema of {@link cosineSimilarity} (PML `CosineSimilarity`; normalisation cannot be turned off). */
export const cosineSimilarityOptions = v.strictObject({
  power: v.optional(v.pipe(v.number(), v.finite(), v.gtValue(0)), 1),
  normalizeEmbeddings: v.optional(v.literal(true), true),
});

export type CosineSimilarityOptions = v.InferInput<typeof cosineSimilarityOptions>;

/**
 * Cosine similarity (PML `CosineSimilarity`, `isInverted: true`): the dot product of
 * L2-normalised rows, in [-1, 1].
 *
 * @example
 * cosineSimilarity().pairwise(tf.tensor2d([[1, 0], [0, 2]])).print(); // [[1, 0], [0, 1]]
 */
export function cosineSimilarity(options: CosineSimilarityOptions = {}): Distance {
  const o = parseOptions(cosineSimilarityOptions, options, "distance 'cosine'");
  return defineDistance({
    name: 'cosine',
    isInverted: true,
    normalizeEmbeddings: true,
    power: o.power,
    options: o,
    matrix: (query, ref) => tf.matMul(query, tf.transpose(ref ?? query)),
    paired: (query, ref) => tf.sum(tf.mul(query, ref), 1) as tf.Tensor1D,
  });
}
