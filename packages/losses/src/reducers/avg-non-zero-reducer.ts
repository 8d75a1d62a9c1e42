import * as tf from '@tensorflow/tfjs-core';
import { defineReducer } from './define-reducer.js';

/**
 * The mean of the strictly positive entries (PML `AvgNonZeroReducer`); 0 when none is
 * positive. Easy pairs and triplets (loss 0) then do not dilute the gradient of hard ones.
 *
 * @example
 * const loss = tripletMarginLoss({ reducer: avgNonZeroReducer() }); // the default
 */
export function avgNonZeroReducer() {
  return defineReducer({
    name: 'avg-non-zero',
    options: {},
    select: (x) => x > 0,
    combine: (sum, count) => tf.div(sum, count) as tf.Scalar,
  });
}
