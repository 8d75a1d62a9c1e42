import { defineEntry, definePlugin, type RegistryEntry, type RegistryKind, specificationVersion } from '@emb/core';
import { pgvectorIndex, pgvectorIndexOptions } from './pgvector-index.js';

/**
 * The registry entries of `@emb/plugin-pgvector` (`index` kind: `'pgvector'`). Install with
 * `registry.use(pgvectorPlugin)` or `import '@emb/plugin-pgvector/register'`.
 *
 * @example
 * registry.use(pgvectorPlugin);
 * const index = registry.create('index', 'pgvector', { dim: 128, dataDir: './vectors' });
 */
export const pgvectorPlugin = definePlugin({
  name: '@emb/plugin-pgvector',
  specificationVersion,
  entries: [
    defineEntry({
      kind: 'index',
      name: 'pgvector',
      description:
        'PostgreSQL + pgvector index: embedded PGlite (default, dataDir) or a server (connectionString); HNSW / IVFFlat',
      options: pgvectorIndexOptions,
      create: (o) => pgvectorIndex(o),
      // An entry with a required option does not fit the plugin's `never`-typed entry list
      // under exactOptionalPropertyTypes; the registry validates options before create().
    }) as unknown as RegistryEntry<RegistryKind, never>,
  ],
});
