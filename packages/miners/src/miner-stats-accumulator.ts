import type { MinerStats } from '@emb/core';

/** Running totals of {@link MinerStats} over many `mine()` calls (an epoch, a logging window). */
export interface MinerStatsAccumulator {
  /** Adds one call's statistics. */
  add(stats: MinerStats): void;
  /** Totals of the counts and count-weighted means of the distances since the last `reset`. */
  summary(): MinerStats & { readonly calls: number };
  reset(): void;
}

/**
 * Accumulates miner statistics so that a trainer can log one line per epoch: counts are
 * summed and the mean distances are weighted by how many pairs (or triplets) produced them.
 *
 * @example
 * const acc = createMinerStatsAccumulator();
 * for (const batch of batches) acc.add(miner.mine(batch).stats);
 * console.log(acc.summary()); // { calls, numTriplets, meanPositiveDistance, ... }
 */
export function createMinerStatsAccumulator(): MinerStatsAccumulator {
  let calls = 0;
  let numPositivePairs = 0;
  let numNegativePairs = 0;
  let numTriplets = 0;
  let posSum = 0;
  let posCount = 0;
  let negSum = 0;
  let negCount = 0;
  return Object.freeze({
    add(stats: MinerStats) {
      calls++;
      numPositivePairs += stats.numPositivePairs;
      numNegativePairs += stats.numNegativePairs;
      numTriplets += stats.numTriplets;
      const posWeight = stats.numTriplets + stats.numPositivePairs;
      const negWeight = stats.numTriplets + stats.numNegativePairs;
      if (posWeight > 0 && Number.isFinite(stats.meanPositiveDistance)) {
        posSum += stats.meanPositiveDistance * posWeight;
        posCount += posWeight;
      }
      if (negWeight > 0 && Number.isFinite(stats.meanNegativeDistance)) {
        negSum += stats.meanNegativeDistance * negWeight;
        negCount += negWeight;
      }
    },
    summary() {
      return {
        calls,
        numPositivePairs,
        numNegativePairs,
        numTriplets,
        meanPositiveDistance: posCount > 0 ? posSum / posCount : Number.NaN,
        meanNegativeDistance: negCount > 0 ? negSum / negCount : Number.NaN,
      };
    },
    reset() {
      calls = numPositivePairs = numNegativePairs = numTriplets = 0;
      posSum = posCount = negSum = negCount = 0;
    },
  });
}
