import { defineEntry, definePlugin, specificationVersion } from '@emb/core';
import * as v from 'valibot';
import { arcFaceLoss, arcFaceLossOptions } from './arc-face-loss.js';
import { circleLoss, circleLossOptions } from './circle-loss.js';
import { contrastiveLoss, contrastiveLossOptions } from './contrastive-loss.js';
import { fastAPLoss, fastAPLossOptions } from './fast-ap-loss.js';
import { generalizedLiftedStructureLoss, generalizedLiftedStructureLossOptions } from './generalized-lifted-structure-loss.js';
import { liftedStructureLoss, liftedStructureLossOptions } from './lifted-structure-loss.js';
import { marginLoss, marginLossOptions } from './margin-loss.js';
import { multiSimilarityLoss, multiSimilarityLossOptions } from './multi-similarity-loss.js';
import { nPairsLoss, nPairsLossOptions } from './n-pairs-loss.js';
import { ntxentLoss, ntxentLossOptions } from './ntxent-loss.js';
import { proxyAnchorLoss, proxyAnchorLossOptions } from './proxy-anchor-loss.js';
import { avgNonZeroReducer } from './reducers/avg-non-zero-reducer.js';
import { divisorReducer } from './reducers/divisor-reducer.js';
import { doNothingReducer } from './reducers/do-nothing-reducer.js';
import { meanReducer } from './reducers/mean-reducer.js';
import { sumReducer } from './reducers/sum-reducer.js';
import { thresholdReducer } from './reducers/threshold-reducer.js';
import { supConLoss, supConLossOptions } from './sup-con-loss.js';
import { tripletMarginLoss, tripletMarginLossOptions } from './triplet-margin-loss.js';

const none = v.strictObject({});
const thresholdOptions = v.strictObject({ low: v.optional(v.number()), high: v.optional(v.number()) });

/**
 * The registry entries of `@emb/losses`: every loss (`'triplet-margin'`, `'contrastive'`,
 * ...) and reducer (`'mean'`, `'avg-non-zero'`, ...). Install with
 * `registry.use(lossesPlugin)` or `import '@emb/losses/register'`.
 *
 * @example
 * registry.use(lossesPlugin);
 * const loss = registry.create('loss', 'multi-similarity', { alpha: 2, beta: 50 });
 */
export const lossesPlugin = definePlugin({
  name: '@emb/losses',
  specificationVersion,
  entries: [
    defineEntry({
      kind: 'loss',
      name: 'contrastive',
      description: 'Contrastive loss (Hadsell et al. 2006)',
      options: contrastiveLossOptions,
      create: (options) => contrastiveLoss(options),
    }),
    defineEntry({
      kind: 'loss',
      name: 'margin',
      description: 'Margin loss with a learnable beta (Wu et al. 2017)',
      options: marginLossOptions,
      create: (options) => marginLoss(options),
    }),
    defineEntry({
      kind: 'loss',
      name: 'triplet-margin',
      description: 'Triplet margin loss (Schultz and Joachims 2003; FaceNet)',
      options: tripletMarginLossOptions,
      create: (options) => tripletMarginLoss(options),
    }),
    defineEntry({
      kind: 'loss',
      name: 'ntxent',
      description: 'NT-Xent / InfoNCE (SimCLR)',
      options: ntxentLossOptions,
      create: (options) => ntxentLoss(options),
    }),
    defineEntry({
      kind: 'loss',
      name: 'multi-similarity',
      description: 'Multi-similarity loss (Wang et al. 2019)',
      options: multiSimilarityLossOptions,
      create: (options) => multiSimilarityLoss(options),
    }),
    defineEntry({
      kind: 'loss',
      name: 'circle',
      description: 'Circle loss (Sun et al. 2020)',
      options: circleLossOptions,
      create: (options) => circleLoss(options),
    }),
    defineEntry({
      kind: 'loss',
      name: 'lifted-structure',
      description: 'Lifted structure loss (Oh Song et al. 2016)',
      options: liftedStructureLossOptions,
      create: (options) => liftedStructureLoss(options),
    }),
    defineEntry({
      kind: 'loss',
      name: 'generalized-lifted-structure',
      description: 'Generalized lifted structure loss (Hermans et al. 2017)',
      options: generalizedLiftedStructureLossOptions,
      create: (options) => generalizedLiftedStructureLoss(options),
    }),
    defineEntry({
      kind: 'loss',
      name: 'n-pairs',
      description: 'N-pairs loss (Sohn 2016)',
      options: nPairsLossOptions,
      create: (options) => nPairsLoss(options),
    }),
    defineEntry({
      kind: 'loss',
      name: 'proxy-anchor',
      description: 'Proxy anchor loss (Kim et al. 2020)',
      options: proxyAnchorLossOptions,
      create: (options) => proxyAnchorLoss(options),
    }),
    defineEntry({
      kind: 'loss',
      name: 'arc-face',
      description: 'ArcFace additive angular margin loss (Deng et al. 2019)',
      options: arcFaceLossOptions,
      create: (options) => arcFaceLoss(options),
    }),
    defineEntry({
      kind: 'loss',
      name: 'sup-con',
      description: 'Supervised contrastive loss (Khosla et al. 2020)',
      options: supConLossOptions,
      create: (options) => supConLoss(options),
    }),
    defineEntry({
      kind: 'loss',
      name: 'fast-ap',
      description: 'FastAP (Cakir et al. 2019)',
      options: fastAPLossOptions,
      create: (options) => fastAPLoss(options),
    }),
    defineEntry({ kind: 'reducer', name: 'mean', description: 'Mean of all terms', options: none, create: () => meanReducer() }),
    defineEntry({ kind: 'reducer', name: 'sum', description: 'Sum of all terms', options: none, create: () => sumReducer() }),
    defineEntry({
      kind: 'reducer',
      name: 'avg-non-zero',
      description: 'Mean of the positive terms',
      options: none,
      create: () => avgNonZeroReducer(),
    }),
    defineEntry({
      kind: 'reducer',
      name: 'threshold',
      description: 'Mean of the terms strictly between low and high',
      options: thresholdOptions,
      create: (o) =>
        thresholdReducer({ ...(o.low !== undefined && { low: o.low }), ...(o.high !== undefined && { high: o.high }) }),
    }),
    defineEntry({
      kind: 'reducer',
      name: 'divisor',
      description: 'Sum divided by the loss-supplied divisor',
      options: none,
      create: () => divisorReducer(),
    }),
    defineEntry({
      kind: 'reducer',
      name: 'do-nothing',
      description: 'Leaves terms un-reduced',
      options: none,
      create: () => doNothingReducer(),
    }),
  ],
});
