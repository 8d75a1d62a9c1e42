import * as tf from '@tensorflow/tfjs-core';

/**
 * `matrix[rows[i], cols[i]]` for every i, as a [N] tensor, differentiable on every backend.
 *
 * tf.gather's gradient needs the `UnsortedSegmentSum` kernel, which stock WASM lacks; here
 * the backward pass scatter-adds the upstream gradient in a typed array instead (O(N),
 * duplicates accumulate, as PML's advanced indexing does).
 */
export function gatherFlat(matrix: tf.Tensor2D, rows: Int32Array, cols: Int32Array): tf.Tensor1D {
  const [numRows, numCols] = matrix.shape;
  const flat = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) flat[i] = (rows[i] as number) * numCols + (cols[i] as number);
  const op = tf.customGrad((m) => {
    const value = tf.tidy(() => tf.gather(tf.reshape(m as tf.Tensor, [-1]), tf.tensor1d(flat, 'int32')));
    return {
      value,
      gradFunc: (dy) => {
        const upstream = (dy as tf.Tensor).dataSync();
        const dense = new Float32Array(numRows * numCols);
        for (let i = 0; i < flat.length; i++) {
          const k = flat[i] as number;
          dense[k] = (dense[k] as number) + (upstream[i] as number);
        }
        return tf.tensor2d(dense, [numRows, numCols]);
      },
    };
  });
  return op(matrix) as tf.Tensor1D;
}
