/** What one statement returns: the rows (column name to parsed value) and the affected-row count. */
export interface SqlResult<R = Record<string, unknown>> {
  readonly rows: R[];
  /** Rows inserted, updated, deleted or copied (0 for a SELECT on some drivers). */
  readonly rowCount: number;
}

/**
 * Something that runs SQL: an {@link SqlExecutor} or the handle a transaction gives.
 * Parameters are `$1, $2, ...`; pass arrays already written as PostgreSQL array literals
 * (drivers disagree on how they serialise JS arrays of custom types such as `vector`).
 */
export interface SqlQueryable {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<R>>;
  /**
   * Runs a bulk `COPY ... FROM '/dev/blob'` statement with `data` (here binary COPY format) as
   * its input and returns the rows copied. Optional: executors without it get batched
   * multi-row inserts.
   */
  copyFrom?(sql: string, data: Uint8Array): Promise<number>;
}

/**
 * The small SQL interface `pgvectorIndex` runs on. Two implementations ship:
 * {@link pgliteExecutor} (embedded WASM Postgres, the default) and {@link pgExecutor} (a
 * PostgreSQL server through `pg`); anything else that speaks PostgreSQL with pgvector can
 * implement it (a few dozen lines).
 *
 * @example
 * const executor = pgExecutor({ connectionString: process.env.DATABASE_URL });
 * const index = pgvectorIndex({ dim: 128, executor });
 */
export interface SqlExecutor extends SqlQueryable {
  /** `'pglite'`, `'postgres'` or an implementation's own name (for messages and benchmarks). */
  readonly dialect: string;
  /** Runs `fn` inside BEGIN ... COMMIT on one connection; ROLLBACK when `fn` throws (the error is rethrown). */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /** Closes the connection(s) or the embedded database. */
  close(): Promise<void>;
}
