import { parseOptions } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import * as v from 'valibot';
import { type Augmentation, assertImages } from './compose-augmentations.js';

/** Options schema of {@link brightness}. */
export const brightnessOptions = v.strictObject({
  maxDelta: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0)), 0.2),
});

export type BrightnessOptions = v.InferInput<typeof brightnessOptions>;

/**
 * Random brightness (TensorFlow's `random_brightness`): adds one delta, uniform in
 * [-maxDelta, maxDelta), to every pixel of an image; one draw per image from the rng.
 *
 * Options: `maxDelta = 0.2` (for pixels in [0, 1]).
 *
 * @example
 * const augment = brightness({ maxDelta: 0.3 });
 */
export function brightness(options: BrightnessOptions = {}): Augmentation {
  const o = parseOptions(brightnessOptions, options, 'brightness');
  return (x, rng) => {
    assertImages(x, 'brightness');
    const b = x.shape[0];
    const delta = new Float32Array(b);
    for (let i = 0; i < b; i++) delta[i] = (rng.next() * 2 - 1) * o.maxDelta;
    return tf.add(x, tf.tensor4d(delta, [b, 1, 1, 1])) as tf.Tensor4D;
  };
}
