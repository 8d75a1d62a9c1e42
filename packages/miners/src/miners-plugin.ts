import { defineEntry, definePlugin, specificationVersion } from '@emb/core';
import { allPairsMiner, allPairsMinerOptions } from './all-pairs-miner.js';
import { allTripletsMiner, allTripletsMinerOptions } from './all-triplets-miner.js';
import { batchEasyHardMiner, batchEasyHardMinerOptions } from './batch-easy-hard-miner.js';
import { batchHardMiner, batchHardMinerOptions } from './batch-hard-miner.js';
import { classBalancedSampler, classBalancedSamplerOptions } from './class-balanced-sampler.js';
import { distanceWeightedMiner, distanceWeightedMinerOptions } from './distance-weighted-miner.js';
import { hardestNegativeMiner, hardestNegativeMinerOptions } from './hardest-negative-miner.js';
import { mPerClassSampler, mPerClassSamplerOptions } from './m-per-class-sampler.js';
import { multiSimilarityMiner, multiSimilarityMinerOptions } from './multi-similarity-miner.js';
import { pairMarginMiner, pairMarginMinerOptions } from './pair-margin-miner.js';
import { randomPairsMiner, randomPairsMinerOptions } from './random-pairs-miner.js';
import { randomTripletsMiner, randomTripletsMinerOptions } from './random-triplets-miner.js';
import { tripletMarginMiner, tripletMarginMinerOptions } from './triplet-margin-miner.js';

/**
 * The registry entries of `@emb/miners`: miners `'batch-hard'`, `'batch-easy-hard'`,
 * `'triplet-margin'`, `'multi-similarity'`, `'pair-margin'`, `'distance-weighted'`,
 * `'all-pairs'`, `'all-triplets'`, `'random-pairs'`, `'random-triplets'`,
 * `'hardest-negative'`, and samplers `'m-per-class'`, `'class-balanced'`. Install with
 * `registry.use(minersPlugin)` or `import '@emb/miners/register'`.
 *
 * @example
 * registry.use(minersPlugin);
 * const miner = registry.create('miner', 'triplet-margin', { margin: 0.2, typeOfTriplets: 'semihard' });
 */
export const minersPlugin = definePlugin({
  name: '@emb/miners',
  specificationVersion,
  entries: [
    defineEntry({
      kind: 'miner',
      name: 'batch-hard',
      description: 'Hardest positive and hardest negative per anchor (PML BatchHardMiner)',
      options: batchHardMinerOptions,
      create: batchHardMiner,
    }),
    defineEntry({
      kind: 'miner',
      name: 'batch-easy-hard',
      description: 'One positive and one negative per anchor by easy/semihard/hard/all strategy (PML BatchEasyHardMiner)',
      options: batchEasyHardMinerOptions,
      create: batchEasyHardMiner,
    }),
    defineEntry({
      kind: 'miner',
      name: 'triplet-margin',
      description: 'Triplets by margin: all, hard, semihard or easy (PML TripletMarginMiner)',
      options: tripletMarginMinerOptions,
      create: tripletMarginMiner,
    }),
    defineEntry({
      kind: 'miner',
      name: 'multi-similarity',
      description: 'Informative pairs of Multi-Similarity mining (PML MultiSimilarityMiner)',
      options: multiSimilarityMinerOptions,
      create: multiSimilarityMiner,
    }),
    defineEntry({
      kind: 'miner',
      name: 'pair-margin',
      description: 'Pairs that violate positive / negative margins (PML PairMarginMiner)',
      options: pairMarginMinerOptions,
      create: pairMarginMiner,
    }),
    defineEntry({
      kind: 'miner',
      name: 'distance-weighted',
      description: 'Random triplets with negatives weighted by inverse distance density (PML DistanceWeightedMiner)',
      options: distanceWeightedMinerOptions,
      create: distanceWeightedMiner,
    }),
    defineEntry({
      kind: 'miner',
      name: 'all-pairs',
      description: 'Every positive and negative pair',
      options: allPairsMinerOptions,
      create: allPairsMiner,
    }),
    defineEntry({
      kind: 'miner',
      name: 'all-triplets',
      description: 'Every triplet',
      options: allTripletsMinerOptions,
      create: allTripletsMiner,
    }),
    defineEntry({
      kind: 'miner',
      name: 'random-pairs',
      description: 'Seeded random positive and negative pairs per anchor',
      options: randomPairsMinerOptions,
      create: randomPairsMiner,
    }),
    defineEntry({
      kind: 'miner',
      name: 'random-triplets',
      description: 'Seeded random triplets per anchor',
      options: randomTripletsMinerOptions,
      create: randomTripletsMiner,
    }),
    defineEntry({
      kind: 'miner',
      name: 'hardest-negative',
      description: 'Every positive pair with its anchor hardest negative',
      options: hardestNegativeMinerOptions,
      create: hardestNegativeMiner,
    }),
    defineEntry({
      kind: 'sampler',
      name: 'm-per-class',
      description: 'Batches of m rows from each of P classes, covering every row each epoch',
      options: mPerClassSamplerOptions,
      create: mPerClassSampler,
    }),
    defineEntry({
      kind: 'sampler',
      name: 'class-balanced',
      description: 'Batches with equally frequent classes',
      options: classBalancedSamplerOptions,
      create: classBalancedSampler,
    }),
  ],
});

/** The same plugin as {@link minersPlugin} (singular alias). */
export const minerPlugin = minersPlugin;
