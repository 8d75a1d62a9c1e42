import { EmbError, quote } from '@emb/core';
import type { SqlExecutor, SqlQueryable, SqlResult } from './sql-executor.js';

/** The part of a `pg` client this package uses (declared here so `pg`'s types stay optional). */
export interface PgClientLike {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

/** The part of a `pg.Pool` this package uses: a `new pg.Pool(...)` fits. */
export interface PgPoolLike extends PgClientLike {
  connect(): Promise<PgClientLike & { release(error?: Error | boolean): void }>;
  end(): Promise<void>;
}

/** Options of {@link pgExecutor}: a connection string, a `pg` pool configuration, or your own pool. */
export interface PgExecutorOptions {
  /** `postgres://user:password@host:5432/db`. */
  readonly connectionString?: string;
  /** Any `pg.Pool` configuration (host, port, user, ssl, max, ...); `connectionString` wins over its own. */
  readonly config?: Readonly<Record<string, unknown>>;
  /** An existing `pg.Pool`; `close()` then leaves it open. */
  readonly pool?: PgPoolLike;
}

type ClientLike = PgClientLike;
type Pool = PgPoolLike;

function wrap(client: ClientLike): SqlQueryable {
  return {
    async query<R>(text: string, params: readonly unknown[] = []): Promise<SqlResult<R>> {
      const r = await client.query(text, [...params]);
      return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
    },
  };
}

/**
 * An executor on a PostgreSQL server (with the pgvector extension available) through the
 * `pg` driver, an optional peer dependency (`npm install pg`). Transactions take one pooled
 * connection for their whole length, so `SET LOCAL` search settings apply to them.
 *
 * Options: `connectionString`, `config` (a `pg.Pool` configuration), `pool` (your own pool).
 *
 * @example
 * const index = pgvectorIndex({ dim: 128, executor: pgExecutor({ connectionString: 'postgres://localhost/app' }) });
 * // or pgvectorIndex({ dim: 128, connectionString: 'postgres://localhost/app' })
 */
export function pgExecutor(options: PgExecutorOptions): SqlExecutor {
  if (options === null || typeof options !== 'object') {
    throw new EmbError(
      'INVALID_OPTION',
      `pgExecutor needs options { connectionString?, config?, pool? }, got ${quote(options)}.`,
    );
  }
  if (options.connectionString !== undefined && typeof options.connectionString !== 'string') {
    throw new EmbError(
      'INVALID_OPTION',
      `pgExecutor: connectionString must be a string, got ${quote(options.connectionString)}.`,
      {
        option: 'connectionString',
      },
    );
  }
  const owned = options.pool === undefined;
  let opening: Promise<Pool> | undefined;
  let closed = false;

  function open(): Promise<Pool> {
    if (closed) return Promise.reject(new EmbError('IO', 'pgExecutor: the pool is closed.'));
    opening ??= (async () => {
      if (options.pool) return options.pool;
      type PgModule = {
        Pool: new (config: Record<string, unknown>) => Pool & { on(event: 'error', listener: () => void): unknown };
      };
      let pg: PgModule;
      try {
        // Imported on first use: `pg` is an optional peer dependency.
        const mod = (await import('pg')) as unknown as PgModule & { default?: PgModule };
        pg = mod.default ?? mod;
      } catch (cause) {
        throw new EmbError(
          'NOT_FOUND',
          'pgExecutor needs the `pg` package, an optional peer dependency of @emb/plugin-pgvector: run `npm install pg`.',
          {},
          { cause },
        );
      }
      const pool = new pg.Pool({
        ...options.config,
        ...(options.connectionString !== undefined ? { connectionString: options.connectionString } : {}),
      });
      // An idle client that loses its server emits 'error' on the pool; without a listener that kills the process.
      pool.on('error', () => {});
      return pool;
    })();
    return opening;
  }

  const executor: SqlExecutor = {
    dialect: 'postgres',
    async query<R>(text: string, params?: readonly unknown[]) {
      return wrap(await open()).query<R>(text, params);
    },
    async transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
      const client = await (await open()).connect();
      try {
        await client.query('BEGIN');
        const out = await fn(wrap(client));
        await client.query('COMMIT');
        return out;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      if (opening && owned) await (await opening).end();
    },
  };
  return Object.freeze(executor);
}
