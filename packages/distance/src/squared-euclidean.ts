import * as tf from '@tensorflow/tfjs-core';

/**
 * The [B, R] matrix of L2 distances (`squared: false`) or squared L2 distances
 * (`squared: true`) through the matMul identity `|x|^2 + |y|^2 - 2 x.y`, clamped at 0, with a
 * hand-written gradient: one matMul forward and one backward, O(B x R) memory, never a
 * [B, R, D] tensor.
 *
 * Squared norms are read off the Gram matrix's diagonal when there is no reference set, so
 * a row's distance to itself, and between identical rows, is exactly 0 (every entry of the
 * product is rounded the same way). Where a distance is 0 its gradient is 0, never NaN,
 * as `torch.cdist`'s backward.
 *
 * Gradient: with `W = dy / d` (0 where `d = 0`; `2 dy` when squared),
 * `dq = rowsum(W) * q - W r` and `dr = colsum(W) * r - W^T q`.
 */
export function euclideanMatrix(query: tf.Tensor2D, ref: tf.Tensor2D | undefined, squared: boolean): tf.Tensor2D {
  const self = ref === undefined || ref === query;
  const forward = (q: tf.Tensor2D, r: tf.Tensor2D) =>
    tf.tidy(() => {
      const b = q.shape[0];
      const n = r.shape[0];
      const gram = tf.matMul(q, tf.transpose(r));
      let qq: tf.Tensor;
      let rr: tf.Tensor;
      if (self) {
        const diag = tf.gather(tf.reshape(gram, [-1]), tf.range(0, b * b, b + 1, 'int32'));
        qq = tf.reshape(diag, [b, 1]);
        rr = tf.reshape(diag, [1, b]);
      } else {
        qq = tf.sum(tf.square(q), 1, true);
        rr = tf.reshape(tf.sum(tf.square(r), 1), [1, n]);
      }
      // |x_i|^2 + |y_j|^2 as a [B, 2] x [2, R] product: exact (products by 1, one addition)
      // and much faster on wasm than a broadcasting add.
      const outer = tf.matMul(tf.concat([qq, tf.onesLike(qq)], 1), tf.concat([tf.onesLike(rr), rr], 0));
      const d2 = tf.relu(tf.sub(outer, tf.mul(gram, 2))) as tf.Tensor2D;
      return squared ? d2 : (tf.sqrt(d2) as tf.Tensor2D);
    });
  const weights = (d: tf.Tensor2D, dy: tf.Tensor2D): tf.Tensor2D =>
    tf.tidy(() => {
      if (squared) return tf.mul(dy, 2) as tf.Tensor2D;
      // dy / d where d > 0, else 0; d >= 0, so sign(d) is the 0/1 mask (no fills or casts).
      const mask = tf.sign(d);
      return tf.div(tf.mul(dy, mask), tf.sub(tf.add(d, 1), mask)) as tf.Tensor2D;
    });
  if (self) {
    const op = tf.customGrad((q, save) => {
      const d = forward(q as tf.Tensor2D, q as tf.Tensor2D);
      (save as tf.GradSaveFunc)([q as tf.Tensor2D, d]);
      return {
        value: d,
        gradFunc: (dy, saved) => {
          const [x, dist] = saved as [tf.Tensor2D, tf.Tensor2D];
          const w = weights(dist, dy as tf.Tensor2D);
          // Both arguments of d(x_i, x_j) are rows of x: symmetrise the weights.
          const ws = tf.add(w, tf.transpose(w));
          return tf.sub(tf.mul(tf.sum(ws, 1, true), x), tf.matMul(ws, x));
        },
      };
    });
    return op(query) as tf.Tensor2D;
  }
  const op = tf.customGrad((q, r, save) => {
    const d = forward(q as tf.Tensor2D, r as tf.Tensor2D);
    (save as tf.GradSaveFunc)([q as tf.Tensor2D, r as tf.Tensor2D, d]);
    return {
      value: d,
      gradFunc: (dy, saved) => {
        const [qs, rs, dist] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
        const w = weights(dist, dy as tf.Tensor2D);
        const wt = tf.transpose(w);
        return [
          tf.sub(tf.mul(tf.sum(w, 1, true), qs), tf.matMul(w, rs)),
          tf.sub(tf.mul(tf.sum(wt, 1, true), rs), tf.matMul(wt, qs)),
        ];
      },
    };
  });
  return op(query, ref as tf.Tensor2D) as tf.Tensor2D;
}

/** The [B, R] matrix of squared L2 distances (see {@link euclideanMatrix}). */
export function squaredEuclidean(query: tf.Tensor2D, ref?: tf.Tensor2D): tf.Tensor2D {
  return euclideanMatrix(query, ref, true);
}
