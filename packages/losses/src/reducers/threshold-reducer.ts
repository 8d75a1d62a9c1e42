import { EmbError, quote } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import { defineReducer } from './define-reducer.js';

export interface ThresholdReducerOptions {
  /** Entries must be strictly greater than this. Default: no lower bound. */
  readonly low?: number;
  /** Entries must be strictly less than this. Default: no upper bound. */
  readonly high?: number;
}

/**
 * The mean of the entries strictly between `low` and `high` (PML `ThresholdReducer`);
 * 0 when none is.
 *
 * @example
 * const loss = tripletMarginLoss({ reducer: thresholdReducer({ low: 0.1, high: 0.5 }) });
 */
export function thresholdReducer(options: ThresholdReducerOptions = {}) {
  const low = options.low ?? Number.NEGATIVE_INFINITY;
  const high = options.high ?? Number.POSITIVE_INFINITY;
  if (Number.isNaN(low) || Number.isNaN(high) || !(low < high)) {
    throw new EmbError(
      'INVALID_OPTION',
      `thresholdReducer needs low < high, got low ${quote(options.low)} and high ${quote(options.high)}.`,
      {
        low: options.low,
        high: options.high,
      },
    );
  }
  return defineReducer({
    name: 'threshold',
    options: { ...(options.low !== undefined && { low }), ...(options.high !== undefined && { high }) },
    select: (x) => x > low && x < high,
    combine: (sum, count) => tf.div(sum, count) as tf.Scalar,
  });
}
