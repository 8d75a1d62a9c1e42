export { type PgClientLike, type PgExecutorOptions, type PgPoolLike, pgExecutor } from './pg-executor.js';
export { type PgliteExecutor, type PgliteExecutorOptions, pgliteExecutor } from './pglite-executor.js';
export {
  type BuildIndexReport,
  type PgvectorAddOptions,
  type PgvectorAnnIndex,
  type PgvectorEntry,
  type PgvectorIndex,
  type PgvectorIndexOptions,
  type PgvectorMetric,
  type PgvectorSearchOptions,
  pgvectorIndex,
  pgvectorIndexOptions,
} from './pgvector-index.js';
export { pgvectorPlugin } from './pgvector-plugin.js';
export { type MigrationReport, migratePgvectorSchema, migrationsTable, pgvectorSchemaVersion } from './pgvector-schema.js';
export type { SqlExecutor, SqlQueryable, SqlResult } from './sql-executor.js';
