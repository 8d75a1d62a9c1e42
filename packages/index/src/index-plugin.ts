import { defineEntry, definePlugin, type RegistryEntry, type RegistryKind, specificationVersion } from '@emb/core';
import * as v from 'valibot';
import { exactIndex } from './exact-index.js';

/** Options schema of the registry entry `'exact'` (kind `index`). */
export const exactIndexOptions = v.strictObject({
  dim: v.pipe(v.number(), v.integer(), v.minValue(1)),
  distance: v.optional(v.picklist(['l2', 'cosine', 'dot']), 'l2'),
});

/**
 * The registry entries of `@emb/index` (`index` kind: `'exact'`). Install with
 * `registry.use(indexPlugin)` or `import '@emb/index/register'`.
 *
 * @example
 * registry.use(indexPlugin);
 * const index = registry.create('index', 'exact', { dim: 64, distance: 'cosine' });
 */
export const indexPlugin = definePlugin({
  name: '@emb/index',
  specificationVersion,
  entries: [
    defineEntry({
      kind: 'index',
      name: 'exact',
      description: 'Exact (brute-force) k-NN index on the tfjs backend: l2, cosine or dot',
      options: exactIndexOptions,
      create: (o) => exactIndex(o),
      // An entry with a required option does not fit the plugin's `never`-typed entry list
      // under exactOptionalPropertyTypes; the registry validates options before create().
    }) as unknown as RegistryEntry<RegistryKind, never>,
  ],
});
