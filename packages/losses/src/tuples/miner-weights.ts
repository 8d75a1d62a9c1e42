import type { IndicesTuple } from '@emb/core';

/**
 * One weight per batch element from how often it appears in a miner's tuple (PML
 * `lmu.convert_to_weights`): `count / max(count)`, 0 for elements the tuple never mentions.
 * Without a tuple, or with an empty one, every weight is 1. Classifier and proxy losses
 * (ArcFace, ProxyAnchor, FastAP) use it to let a miner emphasise batch elements.
 *
 * @example
 * minerWeights(null, 4); // Float64Array [1, 1, 1, 1]
 */
export function minerWeights(indices: IndicesTuple | null, batchSize: number): Float64Array {
  const weights = new Float64Array(batchSize);
  const lists =
    indices === null
      ? []
      : indices.kind === 'pairs'
        ? [indices.posAnchors, indices.positives, indices.negAnchors, indices.negatives]
        : [indices.anchors, indices.positives, indices.negatives];
  if (lists.every((l) => l.length === 0)) return weights.fill(1);
  for (const list of lists) for (const i of list) weights[i] = (weights[i] as number) + 1;
  let max = 0;
  for (const w of weights) max = Math.max(max, w);
  for (let i = 0; i < batchSize; i++) weights[i] = (weights[i] as number) / max;
  return weights;
}
