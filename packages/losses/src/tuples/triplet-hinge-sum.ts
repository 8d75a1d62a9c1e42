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

function lowerBound(sorted: Float64Array, x: number, end: number): number {
  let lo = 0;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Sums the hinge triplet loss over every triplet the labels allow without enumerating
 * them. For one anchor, with its negative distances sorted, positive p is active against
 * exactly the negatives with `d_an < d_ap + margin` (a binary search), and
 * `sum_n relu(d_ap + m - d_an) = k (d_ap + m) - (sum of the k smallest d_an)`. So the sum
 * is `sum(W * D) + m * active` for an integer matrix W of how often each distance enters
 * with which sign: a single differentiable expression in D whose gradient is exactly
 * the per-triplet relu subgradient (0 where a term is exactly 0). For similarities
 * (`isInverted`) the same holds on `-D`.
 *
 * Time O(B R log R) in typed arrays, memory O(B R).
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
  // Per anchor: its negative distances and its positives' thresholds x = d_ap + margin,
  // each sorted natively (no comparator), so both counts are binary searches.
  const negSorted = new Float64Array(cols);
  const posSorted = new Float64Array(cols);
  let active = 0;
  let total = 0;
  for (let a = 0; a < rows; a++) {
    const base = a * cols;
    const la = labels[a];
    let numNeg = 0;
    let numPos = 0;
    for (let j = 0; j < cols; j++) {
      const v = sign * (values[base + j] as number);
      if (refLabels[j] !== la) negSorted[numNeg++] = v;
      else if (!(isSelf && j === a)) posSorted[numPos++] = v + margin;
    }
    total += numPos * numNeg;
    if (numPos === 0 || numNeg === 0) continue;
    const negs = negSorted.subarray(0, numNeg).sort();
    const xs = posSorted.subarray(0, numPos).sort();
    for (let j = 0; j < cols; j++) {
      const v = sign * (values[base + j] as number);
      if (refLabels[j] !== la) {
        // A negative is active against the positives whose x exceeds it: numPos - #(x <= d).
        let lo = 0;
        let hi = numPos;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if ((xs[mid] as number) <= v) lo = mid + 1;
          else hi = mid;
        }
        weights[base + j] = -sign * (numPos - lo);
      } else if (!(isSelf && j === a)) {
        // A positive is active against the negatives below its x.
        const k = lowerBound(negs, v + margin, numNeg);
        weights[base + j] = sign * k;
        active += k;
      }
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
