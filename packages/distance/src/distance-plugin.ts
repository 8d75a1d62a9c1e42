import { defineEntry, definePlugin, specificationVersion } from '@emb/core';
import { cosineSimilarity, cosineSimilarityOptions } from './cosine-similarity.js';
import { dotProductSimilarity, dotProductSimilarityOptions } from './dot-product-similarity.js';
import { lpDistance, lpDistanceOptions } from './lp-distance.js';
import { snrDistance, snrDistanceOptions } from './snr-distance.js';

/**
 * The registry entries of `@emb/distance` (`'lp'`, `'cosine'`, `'dot-product'`, `'snr'`).
 * Install with `registry.use(distancePlugin)` or `import '@emb/distance/register'`.
 */
export const distancePlugin = definePlugin({
  name: '@emb/distance',
  specificationVersion,
  entries: [
    defineEntry({
      kind: 'distance',
      name: 'lp',
      description: 'Lp distance (PML LpDistance)',
      options: lpDistanceOptions,
      create: lpDistance,
    }),
    defineEntry({
      kind: 'distance',
      name: 'cosine',
      description: 'Cosine similarity',
      options: cosineSimilarityOptions,
      create: cosineSimilarity,
    }),
    defineEntry({
      kind: 'distance',
      name: 'dot-product',
      description: 'Dot-product similarity (normalises by default, as PML)',
      options: dotProductSimilarityOptions,
      create: dotProductSimilarity,
    }),
    defineEntry({
      kind: 'distance',
      name: 'snr',
      description: 'Signal-to-noise ratio distance',
      options: snrDistanceOptions,
      create: snrDistance,
    }),
  ],
});
