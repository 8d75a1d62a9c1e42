import { defineEntry, definePlugin, specificationVersion } from '@emb/core';
import { simplePairLoss, simplePairLossOptions } from './simple-pair-loss.js';

/**
 * The registry entries of `@emb/plugin-example`: the loss `'emb/simple-pair'`. List the
 * package under `plugins` in `emb.config.json`, or install it with `registry.use(plugin)`.
 *
 * @example
 * registry.use(examplePlugin);
 * const loss = registry.create('loss', 'emb/simple-pair', { margin: 0.3 });
 */
export const examplePlugin = definePlugin({
  // The npm package name, and the contract version this plugin was built against: the
  // registry refuses a plugin whose version the installed @emb/core does not support.
  name: '@emb/plugin-example',
  specificationVersion,
  entries: [
    defineEntry({
      kind: 'loss',
      // Third-party names carry a prefix, so they never collide with built-ins.
      name: 'emb/simple-pair',
      description: 'Mean positive-pair distance plus mean negative-pair hinge (the tutorial example)',
      options: simplePairLossOptions,
      create: (options) => simplePairLoss(options),
    }),
  ],
});

/** The same plugin under the name `emb train` looks for first. */
export const plugin = examplePlugin;
