import * as tf from '@tensorflow/tfjs-core';

/** The sum of `relu(d_ap - d_an + margin)` over all triplets, with the counts a reducer needs. */
export interface TripletHingeSum {
  /** Differentiable sum of every triplet's hinge term. */
  readonly sum: tf.Scalar;
  /** Number of triplets with a strictly positive term. */
  readonly active: number;
  /** Number of triplets. */
  readonly total: number;
}

/** Number of entries of `sorted[0..end)` that are `<= x`. */
function upperBound(sorted: Float64Array, x: number, end: number): number {
  let lo = 0;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Sums the hinge triplet loss over every triplet the labels allow without enumerating
 * them. For one anchor, with the thresholds `x = d_ap + margin` of its positives sorted,
 * a negative `n` is active against the positives with `x > d_an` (a binary search among the
 * few positives), and `sum_n relu(d_ap + m - d_an) = k (d_ap + m) - (sum of the k smallest
 * d_an)`, where `k`, the number of negatives below `x`, is a prefix sum of how many negatives
 * fell in each gap between sorted thresholds: no sort of the many negatives. So the sum is
 * `sum(W * D) + m * active` for an integer matrix W of how often each distance enters with
 * which sign: a single differentiable expression in D whose gradient is exactly the
 * per-triplet relu subgradient (0 where a term is exactly 0). For similarities
 * (`isInverted`) the same holds on `-D`.
 *
 * Time O(B R log P) in typed arrays (P positives per anchor), memory O(B R).
 */
export function tripletHingeSum(
  matrix: tf.Tensor2D,
  labels: Int32Array,
  refLabels: Int32Array,
  isSelf: boolean,
  isInverted: boolean,
  margin: number,
): TripletHingeSum {
  const [rows, cols] = matrix.shape;
  const values = matrix.dataSync();
  const sign = isInverted ? -1 : 1;
  const weights = new Float32Array(rows * cols);
  const xs = new Float64Array(cols);
  // below[i]: negatives with exactly i thresholds <= their distance; then its prefix sums.
  const below = new Int32Array(cols + 1);
  let active = 0;
  let total = 0;
  for (let a = 0; a < rows; a++) {
    const base = a * cols;
    const la = labels[a];
    let numPos = 0;
    for (let j = 0; j < cols; j++) {
      if (refLabels[j] === la && !(isSelf && j === a)) xs[numPos++] = sign * (values[base + j] as number) + margin;
    }
    const numNeg = cols - numPos - (isSelf && a < cols ? 1 : 0);
    total += numPos * numNeg;
    if (numPos === 0 || numNeg === 0) continue;
    const sorted = xs.subarray(0, numPos).sort();
    below.fill(0, 0, numPos + 1);
    for (let j = 0; j < cols; j++) {
      if (refLabels[j] === la) continue;
      // A negative is active against the positives whose threshold exceeds its distance.
      const lo = upperBound(sorted, sign * (values[base + j] as number), numPos);
      weights[base + j] = -sign * (numPos - lo);
      below[lo] = (below[lo] as number) + 1;
    }
    for (let i = 1; i < numPos; i++) below[i] = (below[i] as number) + (below[i - 1] as number);
    for (let j = 0; j < cols; j++) {
      if (refLabels[j] !== la || (isSelf && j === a)) continue;
      // A positive is active against the negatives below its threshold x: those whose count
      // of thresholds <= d_an is at most the last position of x among the sorted thresholds.
      const x = sign * (values[base + j] as number) + margin;
      const k = below[upperBound(sorted, x, numPos) - 1] as number;
      weights[base + j] = sign * k;
      active += k;
    }
  }
  const sum = tf.tidy(() => tf.add(tf.sum(tf.mul(matrix, tf.tensor2d(weights, [rows, cols]))), margin * active) as tf.Scalar);
  return { sum, active, total };
}

/**
 * The same sum over an explicit list of triplets (from a miner), duplicates counted: each
 * active triplet adds +1 to the weight of `(a, p)` and -1 to that of `(a, n)`, so the loss
 * is again `sum(W * D) + margin * active`, one B x R product instead of three gathers and a
 * tensor per triplet. O(T) time in typed arrays.
 */
export function tripletListHingeSum(
  matrix: tf.Tensor2D,
  anchors: Int32Array,
  positives: Int32Array,
  negatives: Int32Array,
  isInverted: boolean,
  margin: number,
): TripletHingeSum {
  const [rows, cols] = matrix.shape;
  const values = matrix.dataSync();
  const sign = isInverted ? -1 : 1;
  const weights = new Float32Array(rows * cols);
  let active = 0;
  for (let t = 0; t < anchors.length; t++) {
    const base = (anchors[t] as number) * cols;
    const ap = base + (positives[t] as number);
    const an = base + (negatives[t] as number);
    if (sign * ((values[ap] as number) - (values[an] as number)) + margin > 0) {
      weights[ap] = (weights[ap] as number) + sign;
      weights[an] = (weights[an] as number) - sign;
      active++;
    }
  }
  const sum = tf.tidy(() => tf.add(tf.sum(tf.mul(matrix, tf.tensor2d(weights, [rows, cols]))), margin * active) as tf.Scalar);
  return { sum, active, total: anchors.length };
}
