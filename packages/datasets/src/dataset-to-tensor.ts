import * as tf from '@tensorflow/tfjs-core';
import { assertDataset, type LabelledDataset } from './labelled-dataset.js';

/**
 * The items of a dataset as one float32 tensor of shape `[size, ...itemShape]` (the caller
 * disposes it). Labels stay an `Int32Array` (`ds.labels`): losses, miners and samplers take
 * them as they are.
 *
 * @example
 * const x = datasetToTensor(ds); // Tensor4D [N, 28, 28, 1] for images
 * const embeddings = model.predict(x);
 * x.dispose();
 */
export function datasetToTensor(ds: LabelledDataset): tf.Tensor {
  assertDataset(ds, 'datasetToTensor');
  return tf.tensor(ds.x, [ds.size, ...ds.itemShape], 'float32');
}
