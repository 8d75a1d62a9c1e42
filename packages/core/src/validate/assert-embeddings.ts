import * as tf from '@tensorflow/tfjs-core';
import { EmbError, quote } from '../errors.js';
import { isTensor } from './is-tensor.js';

export interface AssertEmbeddingsOptions {
  /** Name used in messages. Default `'embeddings'`. */
  readonly name?: string;
  /** Accept zero rows. Default `false`. */
  readonly allowEmpty?: boolean;
  /** Required number of columns. */
  readonly dim?: number;
  /** Scan values for NaN / Infinity (one small read-back). Default `true`. */
  readonly checkFinite?: boolean;
}

/**
 * Checks that `x` is a float32 [N, D] tensor with finite values; throws a typed
 * `EmbError` that quotes the problem otherwise.
 *
 * @example
 * assertEmbeddings(tf.tensor2d([[0, 1]]), { dim: 2 });
 */
export function assertEmbeddings(x: unknown, options: AssertEmbeddingsOptions = {}): asserts x is tf.Tensor2D {
  const name = options.name ?? 'embeddings';
  if (!isTensor(x)) {
    throw new EmbError(
      'INVALID_ARGUMENT',
      `${name} must be a [N, D] tf.Tensor2D, got ${quote(x)}. Wrap arrays with tf.tensor2d(rows).`,
      { name },
    );
  }
  if (x.rank !== 2) {
    throw new EmbError(
      'SHAPE_MISMATCH',
      `${name} must be 2-D [N, D], got shape ${quote(x.shape)}. Pass one row per item (tf.reshape(x, [N, -1])), or check that the model ends in a vector per input.`,
      { name, shape: x.shape },
    );
  }
  if (x.dtype !== 'float32') {
    throw new EmbError('DTYPE_MISMATCH', `${name} must be float32, got ${quote(x.dtype)}. Convert with tf.cast(x, 'float32').`, {
      name,
      dtype: x.dtype,
    });
  }
  const [n, d] = x.shape as [number, number];
  if (n === 0 && !options.allowEmpty) {
    throw new EmbError('EMPTY_BATCH', `${name} is empty (shape ${quote(x.shape)}); pass at least one row.`, {
      name,
      shape: x.shape,
    });
  }
  if (options.dim !== undefined && d !== options.dim) {
    throw new EmbError(
      'DIMENSION_MISMATCH',
      `${name} has dimension ${d} but ${options.dim} is expected; use a model whose output has ${options.dim} values.`,
      {
        name,
        dim: d,
        expected: options.dim,
      },
    );
  }
  if (options.checkFinite !== false) assertFinite(x, name);
}

/**
 * Throws `EmbError('NON_FINITE')` when `x` holds a NaN or an infinity, naming the first
 * offending row.
 */
export function assertFinite(x: tf.Tensor, name = 'tensor'): void {
  if (x.size === 0) return;
  const bad = tf.tidy(() => tf.logicalNot(tf.isFinite(x)));
  const flags = bad.dataSync();
  bad.dispose();
  let first = -1;
  for (let i = 0; i < flags.length; i++) {
    if (flags[i]) {
      first = i;
      break;
    }
  }
  if (first >= 0) {
    const cols = x.rank >= 2 ? (x.shape[x.rank - 1] as number) : 1;
    const values = x.dataSync();
    const row = Math.floor(first / cols);
    throw new EmbError(
      'NON_FINITE',
      `${name} contains ${quote(values[first])} at row ${row}${x.rank >= 2 ? `, column ${first % cols}` : ''}; every value must be finite. Check the network for exploding activations or a bad input.`,
      { name, row, flatIndex: first, value: values[first] },
    );
  }
}

/** Throws when `a` and `b` do not have the same number of columns. */
export function assertSameDim(a: tf.Tensor2D, b: tf.Tensor2D, names: [string, string] = ['embeddings', 'refEmbeddings']): void {
  if (a.shape[1] !== b.shape[1]) {
    throw new EmbError(
      'DIMENSION_MISMATCH',
      `${names[0]} has dimension ${a.shape[1]} but ${names[1]} has ${b.shape[1]}; both must come from the same embedding space.`,
      { dims: [a.shape[1], b.shape[1]] },
    );
  }
}
