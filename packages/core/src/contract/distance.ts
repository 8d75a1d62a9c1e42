import type { Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import type { SpecificationVersion } from './specification-version.js';

/**
 * A distance or similarity between embeddings (PML's `BaseDistance`).
 * `isInverted: true` marks a similarity (bigger means closer); losses use
 * {@link Distance.margin}, {@link Distance.smallest} and {@link Distance.largest} so that
 * they never branch on the metric.
 */
export interface Distance {
  readonly specificationVersion: SpecificationVersion;
  /** Registry name, e.g. `'lp'`, `'cosine'`, `'dot-product'`, `'snr'`. */
  readonly name: string;
  /** `true` for similarities (cosine, dot product), `false` for distances. */
  readonly isInverted: boolean;
  /** Whether rows are L2-normalised before the matrix is computed. */
  readonly normalizeEmbeddings: boolean;
  /** Elementwise exponent applied to the matrix (1 = none). */
  readonly power: number;
  /** The options the distance was created with (for serialisation and display). */
  readonly options: Readonly<Record<string, unknown>>;
  /** The [B, R] matrix between every query row and every reference row (`ref` defaults to `query`). Differentiable. */
  pairwise(query: Tensor2D, ref?: Tensor2D): Tensor2D;
  /** Row-by-row values between `query[i]` and `ref[i]` (same shape), [B]. Differentiable. */
  paired(query: Tensor2D, ref: Tensor2D): Tensor1D;
  /** L2-normalises rows when `normalizeEmbeddings` is set, else returns the input. */
  normalize(x: Tensor2D): Tensor2D;
  /** `x - y` for distances, `y - x` for similarities: positive when `x` is farther than `y`. */
  margin<T extends Tensor>(x: T | number, y: T | number): T;
  /** The closest value along `axis` (min for distances, max for similarities). */
  smallest(x: Tensor, axis: number): Tensor;
  /** The farthest value along `axis` (max for distances, min for similarities). */
  largest(x: Tensor, axis: number): Tensor;
}
