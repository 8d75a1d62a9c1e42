import { defineEntry, definePlugin, specificationVersion } from '@emb/core';
import { simplePairLoss, simplePairLossOptions } from './simple-pair-loss.js';

/**
 * The registry entries of `__PACKAGE__`: the loss `'__PREFIX__/simple-pair'`. List the
 * package under `plugins` in `emb.config.json`, or install it with `registry.use(plugin)`.
 *
 * @example
 * registry.use(__IDENT__Plugin);
 * const loss = registry.create('loss', '__PREFIX__/simple-pair', { margin: 0.3 });
 */
export const __IDENT__Plugin = definePlugin({
  // The npm package name, and the contract version this plugin was built against: the
  // registry refuses a plugin whose version the installed @emb/core does not support.
  name: '__PACKAGE__',
  specificationVersion,
  entries: [
    defineEntry({
      kind: 'loss',
      // Third-party names carry a prefix, so they never collide with built-ins.
      name: '__PREFIX__/simple-pair',
      description: 'Mean positive-pair distance plus mean negative-pair hinge (the tutorial example)',
      options: simplePairLossOptions,
      create: (options) => simplePairLoss(options),
    }),
  ],
});

/** The same plugin under the name `emb train` looks for first. */
export const plugin = __IDENT__Plugin;
