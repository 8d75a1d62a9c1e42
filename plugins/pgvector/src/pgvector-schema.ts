import { EmbError, quote } from '@emb/core';
import type { SqlExecutor, SqlQueryable } from './sql-executor.js';
import { ident } from './sql-text.js';

/** The schema version this release writes and reads: the last migration's number. */
export const pgvectorSchemaVersion = 2;

/** The table that records applied migrations, one row per (vector table, version). */
export const migrationsTable = 'emb_migrations';

interface Migration {
  readonly version: number;
  readonly name: string;
  sql(table: string, dim: number): string[];
}

// Append only: a released migration never changes (databases in the field have run it).
const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'vectors table and index settings',
    sql: (t, dim) => [
      `CREATE TABLE ${ident(t)} (
        seq bigserial PRIMARY KEY,
        id jsonb NOT NULL UNIQUE,
        label integer,
        metadata json,
        embedding vector(${dim}) NOT NULL
      )`,
      `CREATE TABLE IF NOT EXISTS emb_indexes (
        tbl text PRIMARY KEY,
        dim integer NOT NULL,
        metric text NOT NULL,
        next_auto_id bigint NOT NULL DEFAULT 0
      )`,
    ],
  },
  {
    version: 2,
    name: 'label and metadata filter indexes',
    sql: (t) => [
      `CREATE INDEX ${ident(`${t}_label`)} ON ${ident(t)} (label)`,
      // metadata is json (kept verbatim, key order included, as exactIndex returns it);
      // filters match its jsonb form, which this expression index serves.
      `CREATE INDEX ${ident(`${t}_metadata`)} ON ${ident(t)} USING gin ((metadata::jsonb) jsonb_path_ops)`,
    ],
  },
];

/** What {@link migratePgvectorSchema} found and did. */
export interface MigrationReport {
  /** The schema version before (0: a new table). */
  readonly from: number;
  /** The schema version now ({@link pgvectorSchemaVersion}). */
  readonly to: number;
  readonly applied: readonly { version: number; name: string }[];
}

/**
 * Brings the tables of one vector index to {@link pgvectorSchemaVersion}: creates the
 * pgvector extension and the `emb_migrations` table when missing, then runs every migration
 * newer than the recorded version, all in one transaction under an advisory lock (two
 * processes opening the same table at once do not both migrate). A table whose recorded
 * version is newer than this release throws `UNSUPPORTED_VERSION` (upgrade the package;
 * an older release must not write a schema it does not know). A table created with another
 * dimension throws `DIMENSION_MISMATCH`, another metric `INVALID_OPTION`.
 *
 * `pgvectorIndex` calls this on first use; call it yourself to migrate ahead of time.
 *
 * @example
 * await migratePgvectorSchema(pgExecutor({ connectionString }), { table: 'faces', dim: 512, metric: 'cosine' });
 */
export async function migratePgvectorSchema(
  executor: SqlExecutor,
  options: { readonly table: string; readonly dim: number; readonly metric: string },
): Promise<MigrationReport> {
  const { table, dim, metric } = options;
  // CREATE EXTENSION outside the transaction: on a server it may need rights the app lacks,
  // and a clear error here beats a failed migration.
  try {
    await executor.query('CREATE EXTENSION IF NOT EXISTS vector');
  } catch (cause) {
    throw new EmbError(
      'IO',
      `pgvector: cannot enable the "vector" extension (${errorText(cause)}). Install pgvector on the server and run CREATE EXTENSION vector as a superuser once.`,
      {},
      { cause },
    );
  }
  return executor.transaction(async (tx) => {
    await tx.query(`CREATE TABLE IF NOT EXISTS ${migrationsTable} (
      tbl text NOT NULL,
      version integer NOT NULL,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tbl, version)
    )`);
    // Serialises concurrent openers of the same table until this transaction ends.
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('emb:' || $1))", [table]);
    const from = await currentVersion(tx, table);
    if (from > pgvectorSchemaVersion) {
      throw new EmbError(
        'UNSUPPORTED_VERSION',
        `pgvector: table ${quote(table)} has schema version ${from}, newer than the ${pgvectorSchemaVersion} this @emb/plugin-pgvector understands; upgrade @emb/plugin-pgvector (or use another table).`,
        { table, version: from, supported: pgvectorSchemaVersion },
      );
    }
    const applied: { version: number; name: string }[] = [];
    for (const m of migrations) {
      if (m.version <= from) continue;
      for (const statement of m.sql(table, dim)) await tx.query(statement);
      await tx.query(`INSERT INTO ${migrationsTable} (tbl, version, name) VALUES ($1, $2, $3)`, [table, m.version, m.name]);
      applied.push({ version: m.version, name: m.name });
    }
    if (from === 0) {
      await tx.query('INSERT INTO emb_indexes (tbl, dim, metric) VALUES ($1, $2, $3)', [table, dim, metric]);
    } else {
      const { rows } = await tx.query<{ dim: number; metric: string }>('SELECT dim, metric FROM emb_indexes WHERE tbl = $1', [
        table,
      ]);
      const row = rows[0];
      if (row && row.dim !== dim) {
        throw new EmbError(
          'DIMENSION_MISMATCH',
          `pgvector: table ${quote(table)} holds ${row.dim}-D vectors but the index was opened with dim ${quote(dim)}; pass dim: ${row.dim} or use another table.`,
          { table, stored: row.dim, dim },
        );
      }
      if (row && row.metric !== metric) {
        throw new EmbError(
          'INVALID_OPTION',
          `pgvector: table ${quote(table)} was created with distance ${quote(row.metric)} but opened with ${quote(metric)}; pass distance: ${quote(row.metric)} or use another table.`,
          { option: 'distance', table, stored: row.metric, value: metric },
        );
      }
    }
    return { from, to: Math.max(from, pgvectorSchemaVersion), applied };
  });
}

async function currentVersion(tx: SqlQueryable, table: string): Promise<number> {
  const { rows } = await tx.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${migrationsTable} WHERE tbl = $1`, [
    table,
  ]);
  return Number(rows[0]?.v ?? 0);
}

/** The message of a driver error, without its stack. @internal */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
