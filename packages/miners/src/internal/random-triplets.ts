import type { Rng, TripletIndices } from '@emb/core';
import type { MiningContext } from '../define-miner.js';
import { GrowableInt32 } from './growable-int32.js';
import { labelGroups } from './label-groups.js';

/**
 * Negative weights for one anchor row: `weightOf(a, n)` for each negative column; rows whose
 * weights sum to 0 are skipped (PML drops them too).
 */
export type NegativeWeights = (anchor: number, negatives: Int32Array, count: number, out: Float64Array) => void;

/**
 * Random triplets, PML `get_random_triplet_indices`: for each label (ascending), each anchor
 * with that label gets `perAnchor` triplets (default: the label's number of reference rows),
 * each with a uniformly drawn positive (never the anchor itself) and a negative drawn uniformly
 * or, with `weights`, in proportion to them.
 */
export function randomTriplets(
  ctx: MiningContext,
  rng: Rng,
  perAnchor: number | null,
  weights?: NegativeWeights,
): TripletIndices {
  const { cols, labels, refLabels, isSelf } = ctx;
  const refGroups = labelGroups(refLabels);
  const anchorGroups = isSelf ? refGroups : labelGroups(labels);
  const anchors = new GrowableInt32();
  const positives = new GrowableInt32();
  const negatives = new GrowableInt32();
  const negIdx = new Int32Array(cols);
  const cumulative = new Float64Array(cols);
  const minPositives = isSelf ? 2 : 1;
  for (const label of anchorGroups.values) {
    const pInds = refGroups.indicesOf(label);
    const aInds = anchorGroups.indicesOf(label);
    const numNeg = cols - pInds.length;
    if (pInds.length < minPositives || numNeg < 1 || aInds.length === 0) continue;
    let n = 0;
    for (let j = 0; j < cols; j++) if (refLabels[j] !== label) negIdx[n++] = j;
    const k = perAnchor ?? pInds.length;
    for (let t = 0; t < aInds.length; t++) {
      const a = aInds[t] as number;
      let total = 0;
      if (weights) {
        weights(a, negIdx, numNeg, cumulative);
        for (let q = 0; q < numNeg; q++) {
          const w = cumulative[q] as number;
          total += w > 0 && Number.isFinite(w) ? w : 0;
          cumulative[q] = total;
        }
        if (!(total > 0) || !Number.isFinite(total)) continue;
      }
      for (let r = 0; r < k; r++) {
        let p: number;
        if (isSelf) {
          // Uniform over the label's rows except the anchor (its position is t).
          let q = rng.int(pInds.length - 1);
          if (q >= t) q++;
          p = pInds[q] as number;
        } else {
          p = pInds[rng.int(pInds.length)] as number;
        }
        let neg: number;
        if (weights) {
          const u = rng.next() * total;
          let lo = 0;
          let hi = numNeg - 1;
          while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if ((cumulative[mid] as number) > u) hi = mid;
            else lo = mid + 1;
          }
          neg = negIdx[lo] as number;
        } else {
          neg = negIdx[rng.int(numNeg)] as number;
        }
        anchors.push(a);
        positives.push(p);
        negatives.push(neg);
      }
    }
  }
  return { kind: 'triplets', anchors: anchors.toArray(), positives: positives.toArray(), negatives: negatives.toArray() };
}
