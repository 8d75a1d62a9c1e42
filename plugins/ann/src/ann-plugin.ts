import { defineEntry, definePlugin, type RegistryEntry, type RegistryKind, specificationVersion } from '@emb/core';
import * as v from 'valibot';
import { hnswIndex } from './hnsw-index.js';

const positiveInt = (max: number) => v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(max));

/** Options schema of the registry entry `'hnsw'` (kind `index`): those of `hnswIndex`. */
export const hnswIndexOptions = v.strictObject({
  dim: positiveInt(1 << 20),
  distance: v.optional(v.picklist(['l2', 'cosine', 'dot']), 'l2'),
  M: v.optional(positiveInt(1024), 16),
  efConstruction: v.optional(positiveInt(1 << 16), 128),
  efSearch: v.optional(positiveInt(1 << 16), 64),
  threads: v.optional(positiveInt(1024), 1),
  quantization: v.optional(v.picklist(['f32', 'f16', 'bf16']), 'f32'),
});

/**
 * The registry entries of `@emb/plugin-ann` (`index` kind: `'hnsw'`). Install with
 * `registry.use(annPlugin)` or `import '@emb/plugin-ann/register'`; the CLI loads it when
 * the config lists `plugins: ['@emb/plugin-ann']`.
 *
 * @example
 * registry.use(annPlugin);
 * const index = registry.create('index', 'hnsw', { dim: 128, distance: 'cosine', efSearch: 100 });
 */
export const annPlugin = definePlugin({
  name: '@emb/plugin-ann',
  specificationVersion,
  entries: [
    defineEntry({
      kind: 'index',
      name: 'hnsw',
      description: 'Approximate k-NN index (HNSW graph, usearch native library): l2, cosine or dot; M, efConstruction, efSearch',
      options: hnswIndexOptions,
      create: (o) => hnswIndex(o),
      // As in @emb/index: an entry with a required option does not fit the plugin's
      // `never`-typed entry list under exactOptionalPropertyTypes; the registry validates first.
    }) as unknown as RegistryEntry<RegistryKind, never>,
  ],
});
