import type { IndicesLike } from './tensors.js';

/**
 * Triplets `(anchors[i], positives[i], negatives[i])`. With reference embeddings,
 * `anchors` index the embeddings and `positives`/`negatives` index the reference set.
 */
export interface TripletIndices {
  readonly kind: 'triplets';
  readonly anchors: Int32Array;
  readonly positives: Int32Array;
  readonly negatives: Int32Array;
}

/**
 * Positive pairs `(posAnchors[i], positives[i])` and, independently, negative pairs
 * `(negAnchors[j], negatives[j])`; the two halves may differ in length (PML's 4-tuple).
 */
export interface PairIndices {
  readonly kind: 'pairs';
  readonly posAnchors: Int32Array;
  readonly positives: Int32Array;
  readonly negAnchors: Int32Array;
  readonly negatives: Int32Array;
}

/** What a miner returns and what a loss accepts as `indices`. */
export type IndicesTuple = TripletIndices | PairIndices;

/** The same shapes as {@link IndicesTuple}, but fields may be plain arrays or int32 tensors (input form). */
export type IndicesTupleLike =
  | { readonly kind: 'triplets'; readonly anchors: IndicesLike; readonly positives: IndicesLike; readonly negatives: IndicesLike }
  | {
      readonly kind: 'pairs';
      readonly posAnchors: IndicesLike;
      readonly positives: IndicesLike;
      readonly negAnchors: IndicesLike;
      readonly negatives: IndicesLike;
    };
