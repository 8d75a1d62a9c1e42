import type { PGlite } from '@electric-sql/pglite';
import { EmbError, quote } from '@emb/core';
import type { SqlExecutor, SqlQueryable, SqlResult } from './sql-executor.js';

/** Options of {@link pgliteExecutor}. */
export interface PgliteExecutorOptions {
  /**
   * Directory the database persists to (created when missing). Default: none, an in-memory
   * database that is gone when the process ends.
   */
  readonly dataDir?: string;
  /**
   * An open PGlite instance to use instead (it must have been created with the pgvector
   * extension: `new PGlite({ extensions: { vector } })`). `close()` then leaves it open.
   */
  readonly db?: PGlite;
}

/** A {@link SqlExecutor} on PGlite, with its open database exposed (to serve it over a socket, say). */
export interface PgliteExecutor extends SqlExecutor {
  readonly dialect: 'pglite';
  /** The PGlite instance, once open. */
  database(): Promise<PGlite>;
}

interface PgliteLike {
  query<R>(
    text: string,
    params?: unknown[],
    options?: { blob?: Blob },
  ): Promise<{ rows: R[]; affectedRows?: number; rowCount?: number }>;
}

function wrap(db: PgliteLike): SqlQueryable {
  return {
    async query<R>(text: string, params: readonly unknown[] = []): Promise<SqlResult<R>> {
      const r = await db.query<R>(text, [...params]);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rowCount ?? 0 };
    },
    async copyFrom(sql: string, data: Uint8Array): Promise<number> {
      // PGlite reads COPY input from a virtual file '/dev/blob' backed by the Blob passed here.
      const r = await db.query(sql, [], { blob: new Blob([data as Uint8Array<ArrayBuffer>]) });
      return r.affectedRows ?? r.rowCount ?? 0;
    },
  };
}

/**
 * An executor on embedded PostgreSQL (PGlite: Postgres compiled to WASM) with pgvector:
 * nothing to install or run, persists to `dataDir`. The database opens on first use (the
 * WASM start takes about a second, several on a busy machine).
 *
 * Options: `dataDir` (default: in memory), `db` (an already open PGlite with pgvector).
 *
 * @example
 * const index = pgvectorIndex({ dim: 128, executor: pgliteExecutor({ dataDir: './vectors' }) });
 * // the same as pgvectorIndex({ dim: 128, dataDir: './vectors' })
 */
export function pgliteExecutor(options: PgliteExecutorOptions = {}): PgliteExecutor {
  if (options === null || typeof options !== 'object') {
    throw new EmbError('INVALID_OPTION', `pgliteExecutor needs options { dataDir?, db? }, got ${quote(options)}.`);
  }
  if (options.dataDir !== undefined && (typeof options.dataDir !== 'string' || options.dataDir === '')) {
    throw new EmbError('INVALID_OPTION', `pgliteExecutor: dataDir must be a directory path, got ${quote(options.dataDir)}.`, {
      option: 'dataDir',
      value: options.dataDir,
    });
  }
  const owned = options.db === undefined;
  let opening: Promise<PGlite> | undefined;
  let closed = false;

  function open(): Promise<PGlite> {
    if (closed) return Promise.reject(new EmbError('IO', 'pgliteExecutor: the database is closed.'));
    opening ??= (async () => {
      let db = options.db;
      if (db === undefined) {
        // Imported on first use: users of a PostgreSQL server never load the WASM build.
        const [{ PGlite }, { vector }] = await Promise.all([
          import('@electric-sql/pglite'),
          import('@electric-sql/pglite-pgvector'),
        ]);
        try {
          db = await PGlite.create({ ...(options.dataDir ? { dataDir: options.dataDir } : {}), extensions: { vector } });
        } catch (cause) {
          throw new EmbError(
            'IO',
            `pgliteExecutor could not open the database${options.dataDir ? ` in ${quote(options.dataDir)}` : ''}: ${String(cause)}. Check that the directory is writable and not open in another process.`,
            { dataDir: options.dataDir },
            { cause },
          );
        }
      }
      // PGlite serialises a parameter through the serializer of its type, and learns array
      // types (vector[]) only at start-up or on refresh; without one a binary vector[] would be
      // sent as text. So create the extension first and refresh.
      try {
        await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
        await db.refreshArrayTypes();
      } catch (cause) {
        throw new EmbError(
          'IO',
          `pgliteExecutor: cannot enable pgvector in PGlite (${String(cause)}); a PGlite passed as db must be created with { extensions: { vector } } from @electric-sql/pglite-pgvector.`,
          {},
          { cause },
        );
      }
      return db;
    })();
    return opening;
  }

  const executor: PgliteExecutor = {
    dialect: 'pglite',
    database: open,
    async query<R>(text: string, params?: readonly unknown[]) {
      return wrap(await open()).query<R>(text, params);
    },
    async copyFrom(sql: string, data: Uint8Array) {
      return (wrap(await open()).copyFrom as NonNullable<SqlQueryable['copyFrom']>)(sql, data);
    },
    async transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
      const db = await open();
      return db.transaction((tx) => fn(wrap(tx as unknown as PgliteLike)));
    },
    async close() {
      if (closed) return;
      closed = true;
      if (opening && owned) await (await opening).close();
    },
  };
  return Object.freeze(executor);
}
