import * as tf from '@tensorflow/tfjs-core';

/**
 * `sqrt(x)` whose gradient is 0 (not NaN or Infinity) where `x` is 0. Distances between
 * identical embeddings are 0, and `torch.cdist` uses the same convention, so a batch with
 * duplicates still trains.
 */
export const safeSqrt: (x: tf.Tensor) => tf.Tensor = tf.customGrad((x, save) => {
  const y = tf.sqrt(x as tf.Tensor);
  (save as tf.GradSaveFunc)([y]);
  return {
    value: y,
    gradFunc: (dy, saved) => {
      const [root] = saved as [tf.Tensor];
      const positive = tf.greater(root, 0);
      // Divide by 1 where the root is 0 so that no Infinity is ever formed.
      const denom = tf.where(positive, tf.mul(root, 2), tf.onesLike(root));
      return tf.where(positive, tf.div(dy as tf.Tensor, denom), tf.zerosLike(root));
    },
  };
}) as (x: tf.Tensor) => tf.Tensor;
