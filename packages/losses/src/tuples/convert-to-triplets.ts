import type { IndicesTuple, TripletIndices } from '@emb/core';

/**
 * A tuple as triplets (PML `convert_to_triplets`): pairs become every
 * `(posAnchors[i], positives[i], negatives[j])` with `posAnchors[i] === negAnchors[j]`,
 * in the order PML produces them (by i, then j).
 */
export function convertToTriplets(tuple: IndicesTuple): TripletIndices {
  if (tuple.kind === 'triplets') return tuple;
  const { posAnchors, positives, negAnchors, negatives } = tuple;
  // Group negative pairs by anchor so the join is O(#triplets), not O(P x N).
  const byAnchor = new Map<number, number[]>();
  for (let j = 0; j < negAnchors.length; j++) {
    const a = negAnchors[j] as number;
    const list = byAnchor.get(a);
    if (list) list.push(j);
    else byAnchor.set(a, [j]);
  }
  let count = 0;
  for (let i = 0; i < posAnchors.length; i++) count += byAnchor.get(posAnchors[i] as number)?.length ?? 0;
  const anchors = new Int32Array(count);
  const pos = new Int32Array(count);
  const neg = new Int32Array(count);
  let t = 0;
  for (let i = 0; i < posAnchors.length; i++) {
    const a = posAnchors[i] as number;
    for (const j of byAnchor.get(a) ?? []) {
      anchors[t] = a;
      pos[t] = positives[i] as number;
      neg[t++] = negatives[j] as number;
    }
  }
  return { kind: 'triplets', anchors, positives: pos, negatives: neg };
}
