import { parseOptions } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import * as v from 'valibot';
import { type Augmentation, assertImages } from './compose-augmentations.js';

/** Options schema of {@link horizontalFlip}. */
export const horizontalFlipOptions = v.strictObject({
  probability: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1)), 0.5),
});

export type HorizontalFlipOptions = v.InferInput<typeof horizontalFlipOptions>;

/**
 * Mirrors each image left to right with probability `probability` (torchvision's
 * `RandomHorizontalFlip`), one draw per image from the rng.
 *
 * Options: `probability = 0.5`.
 *
 * @example
 * const augment = horizontalFlip(); // fine for clothes, wrong for digits
 */
export function horizontalFlip(options: HorizontalFlipOptions = {}): Augmentation {
  const o = parseOptions(horizontalFlipOptions, options, 'horizontalFlip');
  return (x, rng) => {
    assertImages(x, 'horizontalFlip');
    const b = x.shape[0];
    const m = new Float32Array(b);
    for (let i = 0; i < b; i++) m[i] = rng.next() < o.probability ? 1 : 0;
    const mask = tf.tensor4d(m, [b, 1, 1, 1]);
    const keep = tf.tensor4d(
      m.map((f) => 1 - f),
      [b, 1, 1, 1],
    );
    // x * (1 - m) + flipped * m is exact for m in {0, 1} (unlike x + m * (flipped - x)).
    return tf.add(tf.mul(x, keep), tf.mul(tf.reverse(x, 2), mask)) as tf.Tensor4D;
  };
}
