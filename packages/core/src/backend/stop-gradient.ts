import * as tf from '@tensorflow/tfjs-core';

const identityWithZeroGradient = tf.customGrad((x) => ({
  // A copy, not `x` itself: the tape needs the output to be a tensor of its own.
  value: tf.clone(x as tf.Tensor),
  gradFunc: (dy) => tf.zeros(dy.shape, 'float32'),
}));

/**
 * Returns `x` unchanged, but treated as a constant by `tf.grad`: the gradient through it is
 * zero (TensorFlow's `tf.stop_gradient`, PyTorch's `detach()`, which tfjs lacks).
 *
 * Use it where a value computed from the weights must not be trained through, e.g. a
 * margin-loss target, a mined hard-negative distance or a moving-average teacher.
 * The result is a new tensor (dispose it, or call this inside `tf.tidy`).
 *
 * @param x Any float tensor.
 * @returns A copy of `x` whose gradient is zero.
 *
 * @example
 * const g = tf.grad((x) => tf.sum(tf.mul(x, stopGradient(x))))(tf.tensor1d([3]));
 * // g is [3] (d/dx of x * c with c = 3), not [6]
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return identityWithZeroGradient(x) as T;
}
