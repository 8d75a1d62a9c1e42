import { defineEntry, definePlugin, specificationVersion } from '@emb/core';
import { cosFaceLoss, cosFaceLossOptions } from './cos-face-loss.js';

/**
 * The registry entries of `@emb/plugin-cosface`: the loss `'emb/cos-face'`. List the package
 * under `plugins` in `emb.config.json`, or install it with `registry.use(cosFacePlugin)`.
 *
 * @example
 * registry.use(cosFacePlugin);
 * const loss = registry.create('loss', 'emb/cos-face', { numClasses: 10, embeddingSize: 64 });
 */
export const cosFacePlugin = definePlugin({
  name: '@emb/plugin-cosface',
  specificationVersion,
  entries: [
    defineEntry({
      kind: 'loss',
      name: 'emb/cos-face',
      description: 'CosFace large margin cosine loss (Wang et al. 2018), learnable class weights W',
      options: cosFaceLossOptions,
      create: (options) => cosFaceLoss(options),
    }),
  ],
});

/** The same plugin under the name `emb train` looks for first. */
export const plugin = cosFacePlugin;
