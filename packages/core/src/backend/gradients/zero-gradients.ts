import * as tf from '@tensorflow/tfjs-core';

/**
 * Kernels whose output is piecewise constant in their inputs (comparisons, logical ops,
 * rounding, predicates), with their input names. Their true gradient is zero almost
 * everywhere, but tfjs 4.22 registers none for several of them, so `tf.grad` through
 * `tf.where(tf.greater(x, 0), x, y)` throws "gradient function not found for Greater".
 */
const PIECEWISE_CONSTANT_KERNELS: Readonly<Record<string, readonly string[]>> = {
  Equal: ['a', 'b'],
  NotEqual: ['a', 'b'],
  Greater: ['a', 'b'],
  GreaterEqual: ['a', 'b'],
  Less: ['a', 'b'],
  LessEqual: ['a', 'b'],
  LogicalAnd: ['a', 'b'],
  LogicalOr: ['a', 'b'],
  LogicalXor: ['a', 'b'],
  LogicalNot: ['x'],
  IsNan: ['x'],
  IsFinite: ['x'],
  IsInf: ['x'],
  Sign: ['x'],
  Floor: ['x'],
  Ceil: ['x'],
  Round: ['x'],
  All: ['x'],
  Any: ['x'],
};

/**
 * Gradient configs that return zeros for every input of a piecewise-constant kernel.
 * The zeros are `float32` whatever the input dtype: the tape rejects non-float gradients,
 * and a `bool` input (LogicalAnd's) would otherwise get a `bool` zero.
 *
 * @internal
 */
export function zeroGradientConfigs(): tf.GradConfig[] {
  return Object.entries(PIECEWISE_CONSTANT_KERNELS).map(([kernelName, inputNames]) => ({
    kernelName,
    // Only the shapes are needed, but saving the inputs is the one way a gradFunc sees them.
    inputsToSave: [...inputNames],
    gradFunc: (_dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const grads: Record<string, () => tf.Tensor> = {};
      inputNames.forEach((name, i) => {
        grads[name] = () => tf.zeros(saved[i]!.shape, 'float32');
      });
      return grads;
    },
  }));
}
