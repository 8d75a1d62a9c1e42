import type { TripletIndices } from '../contract/indices-tuple.js';
import type { Rng } from '../contract/random.js';
import { EmbError, quote } from '../errors.js';

/**
 * Negative weights for one anchor: fills `out[0..count)` with the weight of each negative
 * column `negatives[0..count)` of `anchor`. Non-positive and non-finite weights count as 0;
 * an anchor whose weights sum to 0 gets no triplets (PML drops those rows too).
 */
export type NegativeWeights = (anchor: number, negatives: Int32Array, count: number, out: Float64Array) => void;

/** Options of {@link randomTripletIndices}. */
export interface RandomTripletIndicesOptions {
  /**
   * Labels of a separate reference set the positives and negatives come from. Without it
   * the reference set is the batch itself and an anchor is never its own positive.
   */
  readonly refLabels?: Int32Array | null | undefined;
  /** Triplets per anchor. Default `null`: as many as the anchor's label has reference rows (PML). */
  readonly tripletsPerAnchor?: number | null | undefined;
  /** Draw each negative in proportion to these weights instead of uniformly. */
  readonly negativeWeights?: NegativeWeights | undefined;
}

const EMPTY = new Int32Array(0);

/** Rows grouped by label, ascending labels (the order `torch.unique` gives), ascending rows. */
function groupByLabel(labels: Int32Array): Map<number, Int32Array> {
  const order = Int32Array.from({ length: labels.length }, (_, i) => i);
  order.sort((i, j) => (labels[i] as number) - (labels[j] as number) || i - j);
  const groups = new Map<number, Int32Array>();
  let start = 0;
  for (let k = 1; k <= order.length; k++) {
    const label = labels[order[start] as number] as number;
    if (k === order.length || labels[order[k] as number] !== label) {
      groups.set(label, order.subarray(start, k));
      start = k;
    }
  }
  return groups;
}

/**
 * Random triplets from labels alone, PML's `lmu.get_random_triplet_indices`: what PML's
 * triplet losses use when `triplets_per_anchor` is a number and no miner is given, and what
 * its random miners sample. For each label (ascending), each anchor with that label gets
 * `tripletsPerAnchor` triplets, each with a uniformly drawn positive (same label, never the
 * anchor itself) and a negative (another label) drawn uniformly or, with `negativeWeights`,
 * in proportion to them. Labels with too few positives or no negative give nothing.
 *
 * A low-level helper shared by `@emb/losses` and `@emb/miners`, so a loss given
 * `tripletsPerAnchor` and a random miner draw the same triplets from the same `rng` state.
 * Every random number comes from `rng`: the same seed replays the same triplets.
 *
 * @param labels One class id per anchor row.
 * @param rng The generator to draw from (`createRng(seed)`); it advances.
 * @example
 * const rng = createRng(0);
 * const t = randomTripletIndices(Int32Array.of(0, 0, 1, 1), rng, { tripletsPerAnchor: 2 });
 * t.anchors; // Int32Array [0, 0, 1, 1, 2, 2, 3, 3]
 */
export function randomTripletIndices(labels: Int32Array, rng: Rng, options: RandomTripletIndicesOptions = {}): TripletIndices {
  const perAnchor = options.tripletsPerAnchor ?? null;
  if (perAnchor !== null && !(Number.isInteger(perAnchor) && perAnchor >= 1)) {
    throw new EmbError(
      'INVALID_ARGUMENT',
      `randomTripletIndices: tripletsPerAnchor must be a positive integer or null, got ${quote(perAnchor)}.`,
      { tripletsPerAnchor: perAnchor },
    );
  }
  const isSelf = options.refLabels === undefined || options.refLabels === null;
  const refLabels = options.refLabels ?? labels;
  const weights = options.negativeWeights;
  const cols = refLabels.length;
  const refGroups = groupByLabel(refLabels);
  const anchorGroups = isSelf ? refGroups : groupByLabel(labels);
  const minPositives = isSelf ? 2 : 1;
  // Exact size without weights; an upper bound with them (rows whose weights are all 0 are skipped).
  let bound = 0;
  for (const [label, aInds] of anchorGroups) {
    const numPos = (refGroups.get(label) ?? EMPTY).length;
    if (numPos >= minPositives && cols - numPos >= 1) bound += aInds.length * (perAnchor ?? numPos);
  }
  const anchors = new Int32Array(bound);
  const positives = new Int32Array(bound);
  const negatives = new Int32Array(bound);
  let size = 0;
  const negIdx = new Int32Array(cols);
  const cumulative = new Float64Array(cols);
  for (const [label, aInds] of anchorGroups) {
    const pInds = refGroups.get(label) ?? EMPTY;
    const numNeg = cols - pInds.length;
    if (pInds.length < minPositives || numNeg < 1) continue;
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
          // Uniform over the label's rows except the anchor (its position in the group is t).
          let q = rng.int(pInds.length - 1);
          if (q >= t) q++;
          p = pInds[q] as number;
        } else {
          p = pInds[rng.int(pInds.length)] as number;
        }
        let neg: number;
        if (weights) {
          // Inverse CDF by binary search over the cumulative weights.
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
        anchors[size] = a;
        positives[size] = p;
        negatives[size++] = neg;
      }
    }
  }
  if (size === bound) return { kind: 'triplets', anchors, positives, negatives };
  return {
    kind: 'triplets',
    anchors: anchors.slice(0, size),
    positives: positives.slice(0, size),
    negatives: negatives.slice(0, size),
  };
}
