import type { VectorsLike } from '@emb/core';
import { EmbError, isTensor, quote } from '@emb/core';
import type { Tensor } from '@tensorflow/tfjs-core';

/** Vectors read into one row-major `Float32Array` (a private copy) with their count. */
export interface VectorRows {
  readonly data: Float32Array;
  readonly count: number;
}

/**
 * Reads a [N, D] tensor, an array of rows or a flat `Float32Array` into a fresh row-major
 * `Float32Array`, checking the dimension and that every value is finite. Part of the toolkit
 * for index-backend authors: a backend that reads its input with it throws the same typed
 * errors as `exactIndex` (`DIMENSION_MISMATCH`, `SHAPE_MISMATCH`, `NON_FINITE`,
 * `INVALID_ARGUMENT`), each naming `name` and quoting the bad value.
 *
 * @param vectors - a [N, dim] tensor, an array of N rows, or a flat `Float32Array` of N * dim values.
 * @param dim - the index's dimension.
 * @param name - what the caller calls the argument in error messages (default `'vectors'`).
 *
 * @example
 * const { data, count } = toVectorRows(queries, 128, 'queries');
 * for (let i = 0; i < count; i++) search(data.subarray(i * 128, (i + 1) * 128));
 */
export function toVectorRows(vectors: VectorsLike, dim: number, name = 'vectors'): VectorRows {
  let data: Float32Array;
  if (isTensor(vectors)) {
    const t = vectors as unknown as Tensor;
    if (t.rank !== 2 || t.shape[1] !== dim) {
      const code = t.rank === 2 ? 'DIMENSION_MISMATCH' : 'SHAPE_MISMATCH';
      throw new EmbError(code, `${name} must be a [N, ${dim}] tensor, got shape ${quote(t.shape)}.`, {
        name,
        shape: t.shape,
        dim,
      });
    }
    data = Float32Array.from(t.dataSync() as ArrayLike<number>);
  } else if (vectors instanceof Float32Array) {
    if (vectors.length % dim !== 0) {
      throw new EmbError(
        'DIMENSION_MISMATCH',
        `${name} is a flat Float32Array of ${vectors.length} values, which is not a whole number of ${dim}-D rows; pass rows * ${dim} values.`,
        { name, length: vectors.length, dim },
      );
    }
    data = vectors.slice();
  } else if (Array.isArray(vectors)) {
    data = new Float32Array(vectors.length * dim);
    for (let i = 0; i < vectors.length; i++) {
      const row = vectors[i] as ArrayLike<number> | undefined;
      if (row === null || typeof row !== 'object' || typeof row.length !== 'number') {
        throw new EmbError('INVALID_ARGUMENT', `${name}[${i}] must be an array of ${dim} numbers, got ${quote(row)}.`, {
          name,
          row: i,
        });
      }
      if (row.length !== dim) {
        throw new EmbError(
          'DIMENSION_MISMATCH',
          `${name}[${i}] has ${row.length} values but the index has dimension ${dim}; embed with the model the index was built with.`,
          {
            name,
            row: i,
            length: row.length,
            dim,
          },
        );
      }
      for (let j = 0; j < dim; j++) {
        const v = row[j];
        if (typeof v !== 'number') {
          throw new EmbError('INVALID_ARGUMENT', `${name}[${i}][${j}] is ${quote(v)}; vectors hold numbers.`, {
            name,
            row: i,
            column: j,
          });
        }
        data[i * dim + j] = v;
      }
    }
  } else {
    throw new EmbError(
      'INVALID_ARGUMENT',
      `${name} must be a [N, ${dim}] tf.Tensor2D, an array of rows or a flat Float32Array, got ${quote(vectors)}.`,
      { name },
    );
  }
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (!Number.isFinite(v)) {
      throw new EmbError(
        'NON_FINITE',
        `${name} contains ${quote(v)} at row ${Math.floor(i / dim)}, column ${i % dim}; every value must be finite (check the network for exploding activations).`,
        { name, row: Math.floor(i / dim), column: i % dim, value: v },
      );
    }
  }
  return { data, count: data.length / dim };
}

/**
 * L2-normalises each row of a row-major `Float32Array` in place, with PyTorch's convention
 * `x / max(||x||, 1e-12)` (a zero row stays zero). Cosine-metric backends store and query
 * normalised rows so that cosine similarity is a dot product.
 *
 * @example
 * const rows = toVectorRows(vectors, dim);
 * if (metric === 'cosine') normalizeRows(rows.data, dim);
 */
export function normalizeRows(data: Float32Array, dim: number): void {
  for (let off = 0; off < data.length; off += dim) {
    let s = 0;
    for (let j = 0; j < dim; j++) {
      const v = data[off + j] as number;
      s += v * v;
    }
    const inv = 1 / Math.max(Math.sqrt(s), 1e-12);
    for (let j = 0; j < dim; j++) data[off + j] = (data[off + j] as number) * inv;
  }
}
