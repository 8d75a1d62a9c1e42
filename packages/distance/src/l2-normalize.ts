import * as tf from '@tensorflow/tfjs-core';
import { safeSqrt } from './safe-sqrt.js';

/**
 * Row-wise L2 normalisation with PyTorch's convention (`F.normalize`):
 * `x / max(||x||, 1e-12)`. An all-zero row stays zero and its gradient stays finite.
 */
export function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const norm = safeSqrt(tf.sum(tf.square(x), 1, true));
    return tf.div(x, tf.maximum(norm, 1e-12)) as tf.Tensor2D;
  });
}
