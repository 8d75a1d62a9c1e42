import { EmbError, quote } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import type { SnapshotTensor } from '../training-snapshot.js';

/** Reads a tensor into a {@link SnapshotTensor} (a copy). @internal */
export async function readTensor(name: string, tensor: tf.Tensor): Promise<SnapshotTensor> {
  const values = await tensor.data();
  const dtype = tensor.dtype === 'int32' ? 'int32' : tensor.dtype === 'bool' ? 'bool' : 'float32';
  const data =
    dtype === 'int32'
      ? Int32Array.from(values as Int32Array)
      : dtype === 'bool'
        ? Uint8Array.from(values as Uint8Array)
        : Float32Array.from(values as Float32Array);
  return { name, shape: [...tensor.shape], dtype, data };
}

/** A new tensor from a {@link SnapshotTensor}, after checking its shape against `expected`. @internal */
export function toTensor(saved: SnapshotTensor, expected: readonly number[] | undefined, what: string): tf.Tensor {
  if (expected !== undefined && (saved.shape.length !== expected.length || saved.shape.some((d, i) => d !== expected[i]))) {
    throw new EmbError(
      'SHAPE_MISMATCH',
      `fit: cannot resume: ${what} has shape ${quote(saved.shape)} in the snapshot but ${quote(expected)} now. Resume with the same model and loss the checkpoint was made with.`,
      { what, saved: saved.shape, expected },
    );
  }
  return tf.tensor(saved.data, [...saved.shape], saved.dtype);
}
