import * as tf from '@tensorflow/tfjs-core';
import { defineReducer } from './define-reducer.js';

/**
 * The mean of all entries (PML `MeanReducer`); 0 (connected) when there are none.
 *
 * @example
 * const loss = tripletMarginLoss({ reducer: meanReducer() });
 */
export function meanReducer() {
  return defineReducer({ name: 'mean', options: {}, combine: (sum, count) => tf.div(sum, count) as tf.Scalar });
}
