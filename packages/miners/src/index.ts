export { type AllPairsMinerOptions, allPairsMiner, allPairsMinerOptions } from './all-pairs-miner.js';
export { type AllTripletsMinerOptions, allTripletsMiner, allTripletsMinerOptions } from './all-triplets-miner.js';
export { type BatchEasyHardMinerOptions, batchEasyHardMiner, batchEasyHardMinerOptions } from './batch-easy-hard-miner.js';
export { type BatchHardMinerOptions, batchHardMiner, batchHardMinerOptions } from './batch-hard-miner.js';
export { type ClassBalancedSamplerOptions, classBalancedSampler, classBalancedSamplerOptions } from './class-balanced-sampler.js';
export { defineMiner, type MinerDefinition, type MiningContext } from './define-miner.js';
export {
  type DistanceWeightedMinerOptions,
  distanceWeightedLogWeight,
  distanceWeightedMiner,
  distanceWeightedMinerOptions,
} from './distance-weighted-miner.js';
export { formatMinerStats } from './format-miner-stats.js';
export { type HardestNegativeMinerOptions, hardestNegativeMiner, hardestNegativeMinerOptions } from './hardest-negative-miner.js';
export { type MPerClassSamplerOptions, mPerClassSampler, mPerClassSamplerOptions } from './m-per-class-sampler.js';
export { computeMinerStats } from './miner-stats.js';
export { createMinerStatsAccumulator, type MinerStatsAccumulator } from './miner-stats-accumulator.js';
export { minerPlugin, minersPlugin } from './miners-plugin.js';
export { type MultiSimilarityMinerOptions, multiSimilarityMiner, multiSimilarityMinerOptions } from './multi-similarity-miner.js';
export { type PairMarginMinerOptions, pairMarginMiner, pairMarginMinerOptions } from './pair-margin-miner.js';
export { type RandomPairsMinerOptions, randomPairsMiner, randomPairsMinerOptions } from './random-pairs-miner.js';
export { type RandomTripletsMinerOptions, randomTripletsMiner, randomTripletsMinerOptions } from './random-triplets-miner.js';
export { type TripletMarginMinerOptions, tripletMarginMiner, tripletMarginMinerOptions } from './triplet-margin-miner.js';
