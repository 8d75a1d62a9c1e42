import { defineReducer } from './define-reducer.js';

/**
 * The sum of all entries (PML `SumReducer`).
 *
 * @example
 * const loss = contrastiveLoss({ reducer: sumReducer() });
 */
export function sumReducer() {
  return defineReducer({ name: 'sum', options: {}, combine: (sum) => sum });
}
