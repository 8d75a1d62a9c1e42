import type { MinerStats } from '@emb/core';

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toFixed(4) : 'n/a';
}

/**
 * One log line for {@link MinerStats}: the counts that are set and the two mean distances.
 *
 * @example
 * formatMinerStats(miner.mine({ embeddings, labels }).stats);
 * // "triplets=412 pos=0.8123 neg=1.0410"
 */
export function formatMinerStats(stats: MinerStats): string {
  const counts =
    stats.numTriplets > 0 || (stats.numPositivePairs === 0 && stats.numNegativePairs === 0)
      ? `triplets=${stats.numTriplets}`
      : `posPairs=${stats.numPositivePairs} negPairs=${stats.numNegativePairs}`;
  return `${counts} pos=${fmt(stats.meanPositiveDistance)} neg=${fmt(stats.meanNegativeDistance)}`;
}
