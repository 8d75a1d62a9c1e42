import { type Miner, parseOptions } from '@emb/core';
import { lpDistance } from '@emb/distance';
import * as v from 'valibot';
import { defineMiner, type MiningContext } from './define-miner.js';
import { GrowableInt32 } from './internal/growable-int32.js';
import { labelGroups } from './internal/label-groups.js';
import { distanceOption, finiteNumber } from './internal/option-schemas.js';
import { sortByValue } from './internal/sort-by-value.js';

/** Options schema of {@link tripletMarginMiner} (PML `TripletMarginMiner`). */
export const tripletMarginMinerOptions = v.strictObject({
  margin: v.optional(finiteNumber, 0.2),
  typeOfTriplets: v.optional(v.picklist(['all', 'hard', 'semihard', 'easy']), 'all'),
  semihardFallback: v.optional(v.picklist(['none', 'hardest', 'tf-addons']), 'none'),
  distance: distanceOption,
});

export type TripletMarginMinerOptions = v.InferInput<typeof tripletMarginMinerOptions>;

type TripletType = 'all' | 'hard' | 'semihard' | 'easy';
type Fallback = 'none' | 'hardest' | 'tf-addons';

// With few positives per anchor a scan over the negatives (in index order, as PML emits
// them) is cheaper than sorting them; with many, sort once and binary-search per positive.
const SCAN_MAX_POSITIVES = 12;

/**
 * The bounds of the "triplet margin" `f = d_an - d_ap` (for similarities `s_ap - s_an`)
 * selected by each type: `lowExclusive < f <= highInclusive`.
 */
function bounds(type: TripletType, margin: number): [number, number] {
  switch (type) {
    case 'all':
      return [Number.NEGATIVE_INFINITY, margin];
    case 'hard':
      return [Number.NEGATIVE_INFINITY, Math.min(margin, 0)];
    case 'semihard':
      return [0, margin];
    case 'easy':
      return [margin, Number.POSITIVE_INFINITY];
  }
}

/**
 * The fallback negative for a positive with no semi-hard negative, or -1.
 * `'hardest'`: the negative closest to the anchor. `'tf-addons'` (TF-Addons'
 * `triplet_semihard_loss`): the closest negative farther than the positive, or when there is
 * none the farthest negative. Ties go to the smallest index.
 */
function fallbackNegative(
  mode: Fallback,
  row: Float32Array,
  offset: number,
  negatives: Int32Array,
  count: number,
  vap: number,
  inverted: boolean,
): number {
  let best = -1;
  if (mode === 'hardest') {
    let bestF = Number.POSITIVE_INFINITY;
    for (let k = 0; k < count; k++) {
      const n = negatives[k] as number;
      const v = row[offset + n] as number;
      const f = inverted ? vap - v : v - vap;
      if (f < bestF) {
        bestF = f;
        best = n;
      }
    }
    return best;
  }
  let outside = -1;
  let outsideF = Number.POSITIVE_INFINITY;
  let inside = -1;
  let insideF = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < count; k++) {
    const n = negatives[k] as number;
    const v = row[offset + n] as number;
    const f = inverted ? vap - v : v - vap;
    if (f > 0 && f < outsideF) {
      outsideF = f;
      outside = n;
    }
    if (f > insideF) {
      insideF = f;
      inside = n;
    }
  }
  return outside >= 0 ? outside : inside;
}

/** First position in [lo, hi) where `pred` holds, for a predicate that is false then true. */
function firstTrue(lo: number, hi: number, pred: (k: number) => boolean): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The number of triplets the scan path will emit (an upper bound when a fallback may add one
 * per anchor-positive pair left empty), or -1 when some anchor has more than
 * {@link SCAN_MAX_POSITIVES} positives (the sorting path, not counted here).
 */
function countScanTriplets(
  ctx: MiningContext,
  groups: ReturnType<typeof labelGroups>,
  lowEx: number,
  highIn: number,
  useFallback: boolean,
): number {
  const { matrix, rows, cols, labels, refLabels, isSelf, isInverted } = ctx;
  const sign = isInverted ? -1 : 1;
  let total = 0;
  for (let a = 0; a < rows; a++) {
    const label = labels[a] as number;
    const sameLabel = groups.indicesOf(label);
    const numPositives = sameLabel.length - (isSelf ? 1 : 0);
    if (numPositives <= 0) continue;
    if (numPositives > SCAN_MAX_POSITIVES) return -1;
    const offset = a * cols;
    for (let t = 0; t < sameLabel.length; t++) {
      const p = sameLabel[t] as number;
      if (isSelf && p === a) continue;
      const vap = matrix[offset + p] as number;
      let count = 0;
      for (let j = 0; j < cols; j++) {
        const f = sign * ((matrix[offset + j] as number) - vap);
        // Branch-free: about half the candidates pass, which a branch would mispredict.
        count += +(refLabels[j] !== label) & +(f > lowEx) & +(f <= highIn);
      }
      total += count === 0 && useFallback ? 1 : count;
    }
  }
  return total;
}

export function selectTriplets(ctx: MiningContext, type: TripletType, margin: number, fallback: Fallback) {
  const { matrix, rows, cols, labels, refLabels, isSelf, isInverted } = ctx;
  const [lowEx, highIn] = bounds(type, margin);
  const useFallback = type === 'semihard' && fallback !== 'none';
  // f = sign * (value - vap): d_an - d_ap for distances, s_ap - s_an for similarities (exact
  // in float64 for float32 inputs, as negation is).
  const sign = isInverted ? -1 : 1;
  const groups = labelGroups(refLabels);
  // With few positives per anchor (the usual m-per-class batch), a branch-free counting pass
  // sizes the output exactly: no regrowth, no copy, no oversized buffers for the GC. Otherwise
  // start from the number of candidate triplets (capped), so the output rarely regrows.
  let capacity = countScanTriplets(ctx, groups, lowEx, highIn, useFallback);
  if (capacity < 0) {
    let candidates = 0;
    for (let a = 0; a < rows; a++) {
      const same = groups.indicesOf(labels[a] as number).length;
      candidates += Math.max(0, same - (isSelf ? 1 : 0)) * (cols - same);
    }
    capacity = Math.min(Math.max(1024, candidates), 1 << 22);
  }
  const anchors = new GrowableInt32(capacity);
  const positives = new GrowableInt32(capacity);
  const negatives = new GrowableInt32(capacity);
  const negIdx = new Int32Array(cols);
  const negVal = new Float64Array(cols);
  const run = new Int32Array(cols);
  let keys: Float64Array | undefined;
  let sortedValues: Float64Array | undefined;
  // The statistics are totalled while selecting (a second pass over millions of triplets
  // would cost a fifth of the mining).
  let sumPos = 0;
  let sumNeg = 0;

  const emitRun = (a: number, p: number, count: number) => {
    anchors.pushRepeated(a, count);
    positives.pushRepeated(p, count);
    negatives.pushAll(run, count);
  };

  for (let a = 0; a < rows; a++) {
    const label = labels[a] as number;
    const sameLabel = groups.indicesOf(label);
    const numPositives = sameLabel.length - (isSelf ? 1 : 0);
    if (numPositives <= 0) continue;
    const offset = a * cols;
    let numNeg = 0;
    for (let j = 0; j < cols; j++) {
      if (refLabels[j] !== label) {
        negIdx[numNeg] = j;
        negVal[numNeg++] = matrix[offset + j] as number;
      }
    }
    if (numNeg === 0) continue;

    if (numPositives <= SCAN_MAX_POSITIVES) {
      for (let t = 0; t < sameLabel.length; t++) {
        const p = sameLabel[t] as number;
        if (isSelf && p === a) continue;
        const vap = matrix[offset + p] as number;
        let count = 0;
        let sum = 0;
        for (let k = 0; k < numNeg; k++) {
          const v = negVal[k] as number;
          const f = sign * (v - vap);
          // Branch-free compaction: always write, advance only on a match (a branch taken
          // about half the time would mispredict at every other candidate).
          const keep = +(f > lowEx) & +(f <= highIn);
          run[count] = negIdx[k] as number;
          count += keep;
          sum += keep * v;
        }
        if (count > 0) {
          emitRun(a, p, count);
          sumPos += vap * count;
          sumNeg += sum;
        } else if (useFallback) {
          const n = fallbackNegative(fallback, matrix, offset, negIdx, numNeg, vap, isInverted);
          if (n >= 0) {
            run[0] = n;
            emitRun(a, p, 1);
            sumPos += vap;
            sumNeg += matrix[offset + n] as number;
          }
        }
      }
      continue;
    }

    // Many positives: sort this anchor's negatives once; every type selects a contiguous
    // run of them per positive, found by binary search.
    keys ??= new Float64Array(cols);
    sortedValues ??= new Float64Array(cols);
    const sortedIdx = Int32Array.from(negIdx.subarray(0, numNeg));
    sortByValue(sortedIdx, numNeg, matrix, offset, keys, sortedValues);
    const sv = sortedValues;
    for (let t = 0; t < sameLabel.length; t++) {
      const p = sameLabel[t] as number;
      if (isSelf && p === a) continue;
      const vap = matrix[offset + p] as number;
      let lo: number;
      let hi: number;
      if (!isInverted) {
        // f = value - vap grows along the sorted run.
        lo = lowEx === Number.NEGATIVE_INFINITY ? 0 : firstTrue(0, numNeg, (k) => (sv[k] as number) - vap > lowEx);
        hi = highIn === Number.POSITIVE_INFINITY ? numNeg : firstTrue(lo, numNeg, (k) => (sv[k] as number) - vap > highIn);
      } else {
        // f = vap - value shrinks along the sorted run.
        lo = highIn === Number.POSITIVE_INFINITY ? 0 : firstTrue(0, numNeg, (k) => vap - (sv[k] as number) <= highIn);
        hi = lowEx === Number.NEGATIVE_INFINITY ? numNeg : firstTrue(lo, numNeg, (k) => vap - (sv[k] as number) <= lowEx);
      }
      if (hi > lo) {
        // Emit in index order, as PML does.
        const count = hi - lo;
        run.set(sortedIdx.subarray(lo, hi));
        run.subarray(0, count).sort();
        emitRun(a, p, count);
        sumPos += vap * count;
        for (let k = lo; k < hi; k++) sumNeg += sv[k] as number;
      } else if (useFallback) {
        const n = fallbackNegative(fallback, matrix, offset, negIdx, numNeg, vap, isInverted);
        if (n >= 0) {
          run[0] = n;
          emitRun(a, p, 1);
          sumPos += vap;
          sumNeg += matrix[offset + n] as number;
        }
      }
    }
  }
  const numTriplets = anchors.length;
  return {
    kind: 'triplets' as const,
    anchors: anchors.toArray(),
    positives: positives.toArray(),
    negatives: negatives.toArray(),
    stats: {
      numPositivePairs: 0,
      numNegativePairs: 0,
      numTriplets,
      meanPositiveDistance: numTriplets > 0 ? sumPos / numTriplets : Number.NaN,
      meanNegativeDistance: numTriplets > 0 ? sumNeg / numTriplets : Number.NaN,
    },
  };
}

/**
 * Triplets selected by their margin `d_an - d_ap` (PML `TripletMarginMiner`): `'all'` keeps
 * triplets with margin <= `margin`, `'hard'` those whose negative is at most as far as the
 * positive, `'semihard'` those with `0 < d_an - d_ap <= margin`, `'easy'` those beyond the
 * margin. For similarities the margin is `s_ap - s_an`.
 *
 * Like PML, semi-hard mining has no fallback by default: an anchor-positive pair with no
 * semi-hard negative contributes nothing. `semihardFallback: 'hardest'` adds the closest
 * negative instead (FaceNet), `'tf-addons'` adds the negative TF-Addons'
 * `triplet_semihard_loss` uses (the closest negative farther than the positive, else the
 * farthest negative).
 *
 * Works on the [B, R] distance matrix: per anchor, either a scan of its negatives per positive
 * or one sort plus a binary search per positive, so memory stays O(B x R) (no B x R x R).
 *
 * Options (PML 2.8.1 defaults): `margin = 0.2`, `typeOfTriplets = 'all'`,
 * `semihardFallback = 'none'`, `distance = lpDistance()` (normalised L2).
 *
 * @example
 * const miner = tripletMarginMiner({ margin: 0.2, typeOfTriplets: 'semihard' });
 * const triplets = miner.mine({ embeddings, labels }); // { kind: 'triplets', anchors, positives, negatives, stats }
 * const loss = tripletMarginLoss({ margin: 0.2 }).compute({ embeddings, labels, indices: triplets });
 */
export function tripletMarginMiner(options: TripletMarginMinerOptions = {}): Miner {
  const o = parseOptions(tripletMarginMinerOptions, options, "miner 'triplet-margin'");
  const distance = o.distance ?? lpDistance();
  return defineMiner({
    name: 'triplet-margin',
    outputKind: 'triplets',
    options: { ...o, distance },
    distance,
    select: (ctx) => selectTriplets(ctx, o.typeOfTriplets, o.margin, o.semihardFallback),
  });
}
