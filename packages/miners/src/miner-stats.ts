import type { IndicesTuple, MinerStats } from '@emb/core';

function meanAt(matrix: Float32Array, cols: number, rows: Int32Array, others: Int32Array): number {
  if (rows.length === 0) return Number.NaN;
  let sum = 0;
  let last = -1;
  let value = 0;
  for (let i = 0; i < rows.length; i++) {
    // Mined tuples repeat an (anchor, other) pair in runs: read the matrix once per run.
    const k = (rows[i] as number) * cols + (others[i] as number);
    if (k !== last) {
      value = matrix[k] as number;
      last = k;
    }
    sum += value;
  }
  return sum / rows.length;
}

/**
 * The statistics of a mined tuple, from the miner's own [rows, cols] distance matrix
 * (row-major). Counts follow PML's recordable stats: a pair tuple sets `numPositivePairs`
 * and `numNegativePairs` (and `numTriplets = 0`), a triplet tuple sets `numTriplets` (and
 * the pair counts to 0). The means are over the mined tuple (per triplet: its anchor-positive
 * and anchor-negative values), in the distance's own units (similarities for cosine); NaN
 * when there is nothing to average.
 *
 * @example
 * const stats = computeMinerStats(tuple, distanceMatrix.dataSync() as Float32Array, numRefRows);
 * console.log(formatMinerStats(stats));
 */
export function computeMinerStats(tuple: IndicesTuple, matrix: Float32Array, cols: number): MinerStats {
  if (tuple.kind === 'triplets') {
    return {
      numPositivePairs: 0,
      numNegativePairs: 0,
      numTriplets: tuple.anchors.length,
      meanPositiveDistance: meanAt(matrix, cols, tuple.anchors, tuple.positives),
      meanNegativeDistance: meanAt(matrix, cols, tuple.anchors, tuple.negatives),
    };
  }
  return {
    numPositivePairs: tuple.posAnchors.length,
    numNegativePairs: tuple.negAnchors.length,
    numTriplets: 0,
    meanPositiveDistance: meanAt(matrix, cols, tuple.posAnchors, tuple.positives),
    meanNegativeDistance: meanAt(matrix, cols, tuple.negAnchors, tuple.negatives),
  };
}
