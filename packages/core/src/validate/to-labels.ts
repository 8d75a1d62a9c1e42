import type { Tensor } from '@tensorflow/tfjs-core';
import type { LabelsLike } from '../contract/tensors.js';
import { EmbError, quote } from '../errors.js';
import { isTensor } from './is-tensor.js';

/**
 * Reads labels (tensor, `Int32Array` or `number[]`) into an `Int32Array`, checking that
 * every label is a finite integer in the int32 range and, when `length` is given, that
 * there is one label per embedding.
 *
 * @example
 * toLabels([0, 0, 1], { name: 'labels', length: 3 }); // Int32Array [0, 0, 1]
 */
export function toLabels(labels: LabelsLike, options: { name?: string; length?: number } = {}): Int32Array {
  const name = options.name ?? 'labels';
  let values: ArrayLike<number>;
  if (isTensor(labels)) {
    const t = labels as Tensor;
    if (t.rank !== 1) {
      throw new EmbError(
        'SHAPE_MISMATCH',
        `${name} must be a 1-D tensor, got shape ${quote(t.shape)}. Flatten it with tf.reshape(labels, [-1]).`,
        {
          name,
          shape: t.shape,
        },
      );
    }
    values = t.dataSync() as ArrayLike<number>;
  } else if (labels instanceof Int32Array) {
    values = labels;
  } else if (Array.isArray(labels) || ArrayBuffer.isView(labels)) {
    values = labels as ArrayLike<number>;
  } else {
    throw new EmbError(
      'INVALID_LABELS',
      `${name} must be a tensor, an Int32Array or an array of integers, got ${quote(labels)}.`,
      { name },
    );
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
      throw new EmbError(
        'INVALID_LABELS',
        `${name}[${i}] is ${quote(v)}; labels must be integers (class ids). Map string or float labels to integers first.`,
        { name, index: i, value: v },
      );
    }
  }
  if (options.length !== undefined && values.length !== options.length) {
    throw new EmbError(
      'LABELS_LENGTH',
      `${name} has ${values.length} entries but there are ${options.length} embeddings; pass one label per embedding row.`,
      { name, length: values.length, expected: options.length },
    );
  }
  return values instanceof Int32Array ? values : Int32Array.from(values);
}
