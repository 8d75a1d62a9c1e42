import type { Scalar, Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import type { IndicesTupleLike } from './indices-tuple.js';
import type { SpecificationVersion } from './specification-version.js';
import type { LabelsLike } from './tensors.js';

/** What a loss is computed from. */
export interface LossInput {
  /** [B, D] embeddings. */
  readonly embeddings: Tensor2D;
  /** One class label per row; may be omitted when `indices` says everything. */
  readonly labels?: LabelsLike | null;
  /** Pairs or triplets to use (from a miner); omitted = all pairs/triplets the labels allow. */
  readonly indices?: IndicesTupleLike | null;
  /** [R, D] reference embeddings; pairs and triplets then go from `embeddings` to these. */
  readonly refEmbeddings?: Tensor2D;
  /** Labels of `refEmbeddings`. */
  readonly refLabels?: LabelsLike;
}

/** How the entries of a {@link LossTerm} map to the batch (PML's `reduction_type`). */
export type LossTermKind = 'element' | 'pos_pair' | 'neg_pair' | 'triplet' | 'already_reduced';

/**
 * One un-reduced part of a loss (PML's loss dict entry). `losses[i]` belongs to
 * element `indices[0][i]`, pair `(indices[0][i], indices[1][i])` or triplet
 * `(indices[0][i], indices[1][i], indices[2][i])`. For `'already_reduced'`, `losses`
 * is a scalar and `indices` is `null` (a zero means "no valid tuples").
 */
export interface LossTerm {
  readonly kind: LossTermKind;
  readonly losses: Tensor1D | Scalar;
  readonly indices: readonly Int32Array[] | null;
  /** Only for losses whose default reducer divides by a count (margin, proxy-anchor). */
  readonly divisor?: number;
}

/** A loss's un-reduced terms, by sub-loss name (`'loss'`, or `'pos_loss'` and `'neg_loss'`, ...). */
export type LossTerms = Readonly<Record<string, LossTerm>>;

/** Reduces one {@link LossTerm} to a scalar (PML's reducers). */
export interface Reducer {
  readonly specificationVersion: SpecificationVersion;
  readonly name: string;
  /** `embeddings` is only used to build a connected zero when there is nothing to reduce. */
  reduce(term: LossTerm, embeddings: Tensor2D): Scalar;
}

/** A metric-learning loss. `compute` is differentiable with respect to the embeddings and `variables`. */
export interface Loss {
  readonly specificationVersion: SpecificationVersion;
  readonly name: string;
  /** Learnable parameters (PML's names: `proxies`, `W`, `beta`); a trainer optimises them. */
  readonly variables: Readonly<Record<string, Variable>>;
  /** The options the loss was created with. */
  readonly options: Readonly<Record<string, unknown>>;
  /** The reduced loss, a scalar connected to the graph (0, never NaN, when nothing is valid). */
  compute(input: LossInput): Scalar;
  /** The un-reduced terms (tensors the caller must dispose, or call inside `tf.tidy`). */
  terms(input: LossInput): LossTerms;
}
