import * as tf from '@tensorflow/tfjs-core';

/**
 * The [B, R] matrix of squared L2 distances through the matMul identity
 * `|x|^2 + |y|^2 - 2 x.y`, clamped at 0, so memory stays O(B x R) (no [B, R, D] tensor).
 *
 * Without a reference set the squared norms are read off the Gram matrix's diagonal, so
 * identical rows give exactly 0 (the matrix product rounds every entry the same way) and
 * the self-distance diagonal is exactly 0.
 */
export function squaredEuclidean(query: tf.Tensor2D, ref?: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    if (ref === undefined || ref === query) {
      const n = query.shape[0];
      const gram = tf.matMul(query, tf.transpose(query));
      const eye = tf.eye(n);
      const sq = tf.sum(tf.mul(gram, eye), 1);
      const d2 = tf.sub(tf.add(tf.reshape(sq, [n, 1]), tf.reshape(sq, [1, n])), tf.mul(gram, 2));
      // The diagonal is a distance to itself: exactly 0, with no gradient.
      return tf.mul(tf.relu(d2), tf.sub(1, eye)) as tf.Tensor2D;
    }
    const qq = tf.sum(tf.square(query), 1, true);
    const rr = tf.reshape(tf.sum(tf.square(ref), 1), [1, ref.shape[0]]);
    const qr = tf.matMul(query, tf.transpose(ref));
    return tf.relu(tf.sub(tf.add(qq, rr), tf.mul(qr, 2))) as tf.Tensor2D;
  });
}
