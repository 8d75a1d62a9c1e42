import type * as tf from '@tensorflow/tfjs-core';
import { maskedLogSumExp } from './masked-log-sum-exp.js';

/** Per-row weighted log-sum-exp and which rows had anything to sum. */
export interface RowLogSumExp {
  /** [rows]: `log(sum_j w_ij exp(x_ij))`, or 0 for a row whose weights are all 0 (PML's `lmu.logsumexp`). */
  readonly value: tf.Tensor1D;
  /** 1 for rows with at least one positive weight, else 0. */
  readonly nonEmpty: Uint8Array;
}

/**
 * `log(sum_j w_ij * exp(x_ij))` for every row of `x`: {@link maskedLogSumExp} with weights,
 * plus which rows had a positive weight.
 *
 * @deprecated Use `maskedLogSumExp(x, weights)`, which takes weights (counts) too; kept so
 * that code written against 0.1 still compiles, to be removed in the next major version.
 * @example
 * const { value } = rowLogSumExp(tf.sub(1, distances), negMask);
 */
export function rowLogSumExp(x: tf.Tensor2D, weights: Float32Array): RowLogSumExp {
  const [rows, cols] = x.shape;
  const nonEmpty = new Uint8Array(rows);
  for (let k = 0; k < rows * cols; k++) if ((weights[k] as number) > 0) nonEmpty[Math.floor(k / cols)] = 1;
  return { value: maskedLogSumExp(x, weights), nonEmpty };
}
