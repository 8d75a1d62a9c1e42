import * as tf from '@tensorflow/tfjs-core';

/** Per-row weighted log-sum-exp and which rows had anything to sum. */
export interface RowLogSumExp {
  /** [rows]: `log(sum_j w_ij exp(x_ij))`, or 0 for a row whose weights are all 0 (PML's `lmu.logsumexp`). */
  readonly value: tf.Tensor1D;
  /** 1 for rows with at least one positive weight, else 0. */
  readonly nonEmpty: Uint8Array;
}

/**
 * `log(sum_j w_ij * exp(x_ij))` for every row of `x`, differentiable and finite everywhere.
 *
 * Entries with weight 0 are excluded without `-Infinity` sentinels: their argument is
 * multiplied by 0 before `exp`, so neither the value nor the gradient can become NaN even
 * when such entries are huge. Each row is shifted by its largest kept entry (read back as a
 * constant; the shift cancels in the gradient), so `exp` never overflows. Weights may be
 * counts, so a pair listed twice counts twice.
 *
 * @example
 * // logsumexp over each anchor's negatives: weights = 1 where the pair is negative
 * const { value } = rowLogSumExp(tf.sub(1, distances), negMask);
 */
export function rowLogSumExp(x: tf.Tensor2D, weights: Float32Array): RowLogSumExp {
  const [rows, cols] = x.shape;
  const values = x.dataSync();
  const shift = new Float32Array(rows);
  const keep = new Float32Array(rows * cols);
  const empty = new Float32Array(rows);
  const nonEmpty = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    let m = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < cols; j++) {
      const k = i * cols + j;
      if ((weights[k] as number) > 0) {
        keep[k] = 1;
        m = Math.max(m, values[k] as number);
      }
    }
    if (m === Number.NEGATIVE_INFINITY) empty[i] = 1;
    else {
      shift[i] = m;
      nonEmpty[i] = 1;
    }
  }
  const value = tf.tidy(() => {
    const s = tf.tensor2d(shift, [rows, 1]);
    const z = tf.mul(tf.sub(x, s), tf.tensor2d(keep, [rows, cols]));
    const sum = tf.sum(tf.mul(tf.exp(z), tf.tensor2d(weights, [rows, cols])), 1);
    // An empty row sums to 0; adding 1 there makes its log 0 (and the shift is 0 too).
    return tf.add(tf.log(tf.add(sum, tf.tensor1d(empty))), tf.tensor1d(shift)) as tf.Tensor1D;
  });
  return { value, nonEmpty };
}
