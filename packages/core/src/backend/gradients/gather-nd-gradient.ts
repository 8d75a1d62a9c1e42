import * as tf from '@tensorflow/tfjs-core';

/**
 * Gradient of `GatherNd` (`tf.gatherND`), missing in tfjs 4.22: the upstream gradient is
 * scattered back to the gathered positions with `tf.scatterND`, which sums duplicates,
 * exactly as TensorFlow's `GatherNdGrad` does. The integer indices get a zero gradient.
 *
 * @internal
 */
export const gatherNdGradConfig: tf.GradConfig = {
  kernelName: tf.GatherNd,
  inputsToSave: ['params', 'indices'],
  gradFunc: (dy, saved) => {
    const [params, indices] = saved as [tf.Tensor, tf.Tensor];
    return {
      params: () => tf.scatterND(indices, dy as tf.Tensor, params.shape),
      indices: () => tf.zeros(indices.shape, 'float32'),
    };
  },
};
