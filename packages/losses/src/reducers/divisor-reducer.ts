import * as tf from '@tensorflow/tfjs-core';
import { defineReducer } from './define-reducer.js';

/**
 * `sum(losses) / divisor`, where the loss supplies the divisor with its terms (PML
 * `DivisorReducer`; MarginLoss divides by the number of active pairs, ProxyAnchor by the
 * number of proxies). 0 when the divisor is 0; a term without a divisor is averaged.
 *
 * @example
 * const loss = marginLoss({ reducer: divisorReducer() }); // the default
 */
export function divisorReducer() {
  return defineReducer({
    name: 'divisor',
    options: {},
    combine: (sum, count, term) => {
      const divisor = term.divisor ?? count;
      return divisor === 0 ? null : (tf.div(sum, divisor) as tf.Scalar);
    },
  });
}
