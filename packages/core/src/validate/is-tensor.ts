import type { Tensor } from '@tensorflow/tfjs-core';

/** Duck-typed tensor check: works across duplicate copies of tfjs-core. */
export function isTensor(x: unknown): x is Tensor {
  return (
    x !== null &&
    typeof x === 'object' &&
    Array.isArray((x as Tensor).shape) &&
    typeof (x as Tensor).dtype === 'string' &&
    typeof (x as Tensor).dataSync === 'function'
  );
}
