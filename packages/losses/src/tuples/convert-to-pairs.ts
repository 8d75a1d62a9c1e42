import type { IndicesTuple, PairIndices } from '@emb/core';

/**
 * A tuple as pairs (PML `convert_to_pairs`): a triplet `(a, p, n)` becomes the positive
 * pair `(a, p)` and the negative pair `(a, n)`, duplicates kept.
 */
export function convertToPairs(tuple: IndicesTuple): PairIndices {
  if (tuple.kind === 'pairs') return tuple;
  return {
    kind: 'pairs',
    posAnchors: tuple.anchors,
    positives: tuple.positives,
    negAnchors: tuple.anchors,
    negatives: tuple.negatives,
  };
}
