import { EmbError, quote, type Rng } from '@emb/core';
import type * as tf from '@tensorflow/tfjs-core';

/**
 * A random transformation of a batch of images [B, H, W, C], drawing every random number
 * from `rng` (so a run replays from its seed). Called inside `tf.tidy` by `fit`; it returns a
 * new tensor and must not dispose its input.
 */
export type Augmentation = (x: tf.Tensor4D, rng: Rng) => tf.Tensor4D;

/**
 * Chains augmentations: each one is applied to the previous one's output, in order.
 *
 * @param steps The augmentations, e.g. `[randomCrop({ padding: 4 }), horizontalFlip()]`.
 * @example
 * const augment = composeAugmentations([randomCrop({ padding: 4 }), horizontalFlip(), brightness({ maxDelta: 0.2 }), gaussianNoise({ stddev: 0.05 })]);
 * const data = { kind: 'views', x: images, augment } as const;
 */
export function composeAugmentations(steps: readonly Augmentation[]): Augmentation {
  if (!Array.isArray(steps) || steps.some((s) => typeof s !== 'function')) {
    throw new EmbError(
      'INVALID_ARGUMENT',
      `composeAugmentations expects an array of augmentation functions, got ${quote(steps)}.`,
    );
  }
  const list = [...steps];
  return (x, rng) => list.reduce((acc, step) => step(acc, rng), x);
}

/** Checks that `x` is a batch of images, for the augmentations' error messages. @internal */
export function assertImages(x: tf.Tensor, who: string): asserts x is tf.Tensor4D {
  if (x.rank !== 4) {
    throw new EmbError(
      'SHAPE_MISMATCH',
      `${who} works on images [B, H, W, C], got a tensor of shape ${quote(x.shape)}. Reshape the inputs to 4-D, or pass your own 'augment' function for other data.`,
      { shape: x.shape },
    );
  }
}
