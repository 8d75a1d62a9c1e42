import * as tf from '@tensorflow/tfjs-core';

/** Options of {@link maskedLogSumExp}. */
export interface MaskedLogSumExpOptions {
  /** Reduce along rows (`1`, one value per row) or columns (`0`). Default 1. */
  readonly axis?: 0 | 1;
  /** Add a `0` logit to every row: `log(1 + sum exp(x))`. Default false. */
  readonly addOne?: boolean;
}

/**
 * `log(sum_j keep[i, j] * exp(x[i, j]))` per row (or column) of a [B, R] matrix, PML's
 * `lmu.logsumexp(x, keep_mask, add_one, dim)`: a row with nothing kept gives 0 (also with
 * `addOne`), and entries that are not kept get neither value nor gradient.
 *
 * `keep` is a constant 0/1 mask given as row-major typed data (no gradient flows into it).
 * Dropped entries are replaced by a large *finite* negative number rather than -Infinity,
 * and the shift by the row maximum is a constant, so neither the value nor the gradient
 * can become NaN, however large the logits (Circle loss uses gamma = 256).
 *
 * @example
 * // MultiSimilarity's positive part: (1 / alpha) log(1 + sum_p exp(-alpha (s_ap - base)))
 * const pos = tf.div(maskedLogSumExp(tf.mul(-alpha, tf.sub(sim, base)), posMask, { addOne: true }), alpha);
 */
export function maskedLogSumExp(x: tf.Tensor2D, keep: ArrayLike<number>, options: MaskedLogSumExpOptions = {}): tf.Tensor1D {
  const axis = options.axis ?? 1;
  const addOne = options.addOne ?? false;
  const [rows, cols] = x.shape;
  // The shift (the max over kept entries) is a constant: the log-sum-exp's gradient does not
  // depend on it. Computing it from read-back values keeps tf.max, whose gradient is a slow
  // broadcasting Equal on wasm, off the tape.
  const values = x.dataSync();
  return tf.tidy(() => {
    const mask = new Float32Array(rows * cols);
    const any = new Float32Array(axis === 1 ? rows : cols);
    const shiftValues = new Float32Array(axis === 1 ? rows : cols).fill(Number.NEGATIVE_INFINITY);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const k = i * cols + j;
        if (keep[k]) {
          mask[k] = 1;
          const r = axis === 1 ? i : j;
          any[r] = 1;
          if ((values[k] as number) > (shiftValues[r] as number)) shiftValues[r] = values[k] as number;
        }
      }
    }
    for (let r = 0; r < shiftValues.length; r++) {
      // Rows with nothing kept: shift 0, sum 1, result 0 (then zeroed explicitly below).
      if (!any[r]) shiftValues[r] = 0;
      else if (addOne && (shiftValues[r] as number) < 0) shiftValues[r] = 0;
    }
    const keepT = tf.tensor2d(mask, [rows, cols]);
    const anyT = tf.tensor1d(any);
    // x where kept, -1e30 elsewhere: exp() of a dropped entry underflows to exactly 0.
    const masked = tf.add(tf.mul(x, keepT), tf.mul(tf.sub(keepT, 1), 1e30));
    const shift = axis === 1 ? tf.tensor2d(shiftValues, [rows, 1]) : tf.tensor2d(shiftValues, [1, cols]);
    let sum = tf.sum(tf.mul(tf.exp(tf.sub(masked, shift)), keepT), axis);
    const flatShift = tf.reshape(shift, [-1]);
    if (addOne) sum = tf.add(sum, tf.exp(tf.neg(flatShift)));
    sum = tf.add(sum, tf.sub(1, anyT));
    return tf.mul(tf.add(tf.log(sum), flatShift), anyT) as tf.Tensor1D;
  });
}
