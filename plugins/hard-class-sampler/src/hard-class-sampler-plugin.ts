import { defineEntry, definePlugin, specificationVersion } from '@emb/core';
import { hardClassSampler, hardClassSamplerOptions } from './hard-class-sampler.js';

/**
 * The registry entries of `@emb/plugin-hard-class-sampler`: the sampler `'emb/hard-class'`.
 * List the package under `plugins` in `emb.config.json`, or install it with
 * `registry.use(hardClassSamplerPlugin)`.
 *
 * @example
 * registry.use(hardClassSamplerPlugin);
 * const sampler = registry.create('sampler', 'emb/hard-class', { m: 4, batchSize: 32 });
 */
export const hardClassSamplerPlugin = definePlugin({
  name: '@emb/plugin-hard-class-sampler',
  specificationVersion,
  entries: [
    defineEntry({
      kind: 'sampler',
      name: 'emb/hard-class',
      description: 'Batches of nearby classes (by class-centroid distance), m rows each, covering every row',
      options: hardClassSamplerOptions,
      create: (options) => hardClassSampler(options),
    }),
  ],
});

/** The same plugin under the name `emb train` looks for first. */
export const plugin = hardClassSamplerPlugin;
