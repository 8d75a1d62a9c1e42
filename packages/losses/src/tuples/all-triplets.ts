import type { TripletIndices } from '@emb/core';
import { labelMasks } from './label-masks.js';

/**
 * Every triplet `(a, p, n)` the labels allow (PML `get_all_triplets_indices`), in
 * row-major order, produced in chunks of whole anchors holding at most `maxPerChunk`
 * triplets (one anchor may exceed it), so that a caller never holds all B x R x R of them.
 */
export function* allTripletChunks(
  labels: Int32Array,
  refLabels: Int32Array,
  isSelf: boolean,
  maxPerChunk = 1 << 20,
): Generator<TripletIndices> {
  const { rows, cols, pos, neg } = labelMasks(labels, refLabels, isSelf);
  const posOf: Int32Array[] = [];
  const negOf: Int32Array[] = [];
  for (let a = 0; a < rows; a++) {
    const p: number[] = [];
    const n: number[] = [];
    for (let j = 0; j < cols; j++) {
      if (pos[a * cols + j]) p.push(j);
      else if (neg[a * cols + j]) n.push(j);
    }
    posOf.push(Int32Array.from(p));
    negOf.push(Int32Array.from(n));
  }
  let start = 0;
  while (start < rows) {
    let end = start;
    let count = 0;
    while (end < rows) {
      const c = (posOf[end] as Int32Array).length * (negOf[end] as Int32Array).length;
      if (end > start && count + c > maxPerChunk) break;
      count += c;
      end++;
    }
    const anchors = new Int32Array(count);
    const positives = new Int32Array(count);
    const negatives = new Int32Array(count);
    let t = 0;
    for (let a = start; a < end; a++) {
      for (const p of posOf[a] as Int32Array) {
        for (const n of negOf[a] as Int32Array) {
          anchors[t] = a;
          positives[t] = p;
          negatives[t++] = n;
        }
      }
    }
    if (count > 0) yield { kind: 'triplets', anchors, positives, negatives };
    start = end;
  }
}

/** Every triplet at once (materialised; use {@link allTripletChunks} for large batches). */
export function allTriplets(labels: Int32Array, refLabels: Int32Array, isSelf: boolean): TripletIndices {
  const chunks = [...allTripletChunks(labels, refLabels, isSelf, Number.POSITIVE_INFINITY)];
  if (chunks.length === 1) return chunks[0] as TripletIndices;
  return { kind: 'triplets', anchors: new Int32Array(0), positives: new Int32Array(0), negatives: new Int32Array(0) };
}
