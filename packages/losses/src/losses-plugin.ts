import { defineEntry, definePlugin, specificationVersion } from '@emb/core';
import * as v from 'valibot';
import { avgNonZeroReducer } from './reducers/avg-non-zero-reducer.js';
import { divisorReducer } from './reducers/divisor-reducer.js';
import { doNothingReducer } from './reducers/do-nothing-reducer.js';
import { meanReducer } from './reducers/mean-reducer.js';
import { sumReducer } from './reducers/sum-reducer.js';
import { thresholdReducer } from './reducers/threshold-reducer.js';
import { tripletMarginLoss, tripletMarginLossOptions } from './triplet-margin-loss.js';

const none = v.strictObject({});

/**
 * The registry entries of `@emb/losses`: every loss (`'triplet-margin'`, `'contrastive'`,
 * ...) and reducer (`'mean'`, `'avg-non-zero'`, ...). Install with
 * `registry.use(lossesPlugin)` or `import '@emb/losses/register'`.
 */
export const lossesPlugin = definePlugin({
  name: '@emb/losses',
  specificationVersion,
  entries: [
    defineEntry({
      kind: 'loss',
      name: 'triplet-margin',
      description: 'Triplet margin loss (FaceNet; PML TripletMarginLoss)',
      options: tripletMarginLossOptions,
      create: tripletMarginLoss,
    }),
    defineEntry({ kind: 'reducer', name: 'mean', description: 'Mean of all terms', options: none, create: meanReducer }),
    defineEntry({ kind: 'reducer', name: 'sum', description: 'Sum of all terms', options: none, create: sumReducer }),
    defineEntry({ kind: 'reducer', name: 'avg-non-zero', description: 'Mean of the positive terms', options: none, create: avgNonZeroReducer }),
    defineEntry({
      kind: 'reducer',
      name: 'threshold',
      description: 'Mean of the terms strictly between low and high',
      options: v.strictObject({ low: v.optional(v.number()), high: v.optional(v.number()) }),
      create: (o) => thresholdReducer(o),
    }),
    defineEntry({ kind: 'reducer', name: 'divisor', description: 'Sum divided by the loss-supplied divisor', options: none, create: divisorReducer }),
    defineEntry({ kind: 'reducer', name: 'do-nothing', description: 'Leaves terms un-reduced', options: none, create: doNothingReducer }),
  ],
});
