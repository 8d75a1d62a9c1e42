import * as tf from '@tensorflow/tfjs-core';

/**
 * The value of `x` with no gradient flowing back through it (PyTorch's `x.detach()`).
 * tfjs has no `stopGradient`; a custom gradient that returns zeros does the same on every
 * backend.
 *
 * @example
 * const weight = tf.relu(tf.sub(1.4, stopGradient(similarities))); // a constant weight
 */
export const stopGradient = tf.customGrad((x) => ({
  value: tf.clone(x as tf.Tensor),
  gradFunc: (dy) => tf.zerosLike(dy as tf.Tensor),
})) as unknown as <T extends tf.Tensor>(x: T) => T;
