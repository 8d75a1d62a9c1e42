import { parseOptions } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import * as v from 'valibot';
import { type Augmentation, assertImages } from './compose-augmentations.js';

/** Options schema of {@link gaussianNoise}. */
export const gaussianNoiseOptions = v.strictObject({
  stddev: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0)), 0.05),
});

export type GaussianNoiseOptions = v.InferInput<typeof gaussianNoiseOptions>;

/**
 * Adds independent normal noise N(0, stddev^2) to every pixel. The noise comes from the rng
 * (not `tf.randomNormal`), so it is the same on every backend for the same seed.
 *
 * Options: `stddev = 0.05` (for pixels in [0, 1]).
 *
 * @example
 * const augment = gaussianNoise({ stddev: 0.1 });
 */
export function gaussianNoise(options: GaussianNoiseOptions = {}): Augmentation {
  const o = parseOptions(gaussianNoiseOptions, options, 'gaussianNoise');
  return (x, rng) => {
    assertImages(x, 'gaussianNoise');
    if (o.stddev === 0) return tf.clone(x);
    const noise = new Float32Array(x.size);
    for (let i = 0; i < noise.length; i++) noise[i] = rng.normal() * o.stddev;
    return tf.add(x, tf.tensor(noise, x.shape, 'float32')) as tf.Tensor4D;
  };
}
