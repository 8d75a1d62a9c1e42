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
 * `keep` is constant row-major typed data (no gradient flows into it): a 0/1 mask, or
 * non-negative weights such as counts, so that a pair listed twice counts twice (the
 * list semantics of NT-Xent and lifted structure). Entries with weight 0 are excluded
 * without `-Infinity` sentinels: their argument is multiplied by 0 before `exp`. Each row
 * is shifted by its largest kept entry, read back as a constant (the log-sum-exp's gradient
 * does not depend on it, and tf.max's gradient, a slow broadcasting Equal on wasm, stays
 * off the tape). So neither the value nor the gradient can overflow or become NaN, however
 * large the logits (Circle loss uses gamma = 256) or the dropped entries.
 *
 * @example
 * // MultiSimilarity's positive part: (1 / alpha) log(1 + sum_p exp(-alpha (s_ap - base)))
 * const pos = tf.div(maskedLogSumExp(tf.mul(-alpha, tf.sub(sim, base)), posMask, { addOne: true }), alpha);
 */
export function maskedLogSumExp(x: tf.Tensor2D, keep: ArrayLike<number>, options: MaskedLogSumExpOptions = {}): tf.Tensor1D {
  const axis = options.axis ?? 1;
  const addOne = options.addOne ?? false;
  const [rows, cols] = x.shape;
  const values = x.dataSync();
  const kept = new Float32Array(rows * cols);
  const weights = new Float32Array(rows * cols);
  const any = new Float32Array(axis === 1 ? rows : cols);
  const shiftValues = new Float32Array(any.length).fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const k = i * cols + j;
      const w = keep[k] as number;
      if (w > 0) {
        kept[k] = 1;
        weights[k] = w;
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
  return tf.tidy(() => {
    const shape: [number, number] = axis === 1 ? [rows, 1] : [1, cols];
    const shift = tf.tensor2d(shiftValues, shape);
    // Dropped entries become exactly 0 before exp, and their weight 0 removes them.
    const z = tf.mul(tf.sub(x, shift), tf.tensor2d(kept, [rows, cols]));
    let sum = tf.sum(tf.mul(tf.exp(z), tf.tensor2d(weights, [rows, cols])), axis);
    const flatShift = tf.reshape(shift, [-1]);
    const anyT = tf.tensor1d(any);
    if (addOne) sum = tf.add(sum, tf.exp(tf.neg(flatShift)));
    sum = tf.add(sum, tf.sub(1, anyT));
    return tf.mul(tf.add(tf.log(sum), flatShift), anyT) as tf.Tensor1D;
  });
}
