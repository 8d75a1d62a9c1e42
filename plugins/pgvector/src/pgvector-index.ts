import {
  type AddOptions,
  EmbError,
  type Index,
  type IndexEntry,
  type Neighbours,
  parseOptions,
  quote,
  type SearchOptions,
  specificationVersion,
  toLabels,
  type VectorId,
  type VectorsLike,
} from '@emb/core';
import { assertVectorId, checkSearchArgs, normalizeRows, readAddInput, toVectorRows } from '@emb/index';
import * as v from 'valibot';
import { pgExecutor } from './pg-executor.js';
import { pgliteExecutor } from './pglite-executor.js';
import { errorText, migratePgvectorSchema } from './pgvector-schema.js';
import type { SqlExecutor, SqlQueryable } from './sql-executor.js';
import { arrayLiteral, binaryCopyRows, binaryVectorArray, ident, parseVector } from './sql-text.js';

/** The metrics the index ranks by: Euclidean (`'l2'`), cosine similarity, raw dot product. */
export type PgvectorMetric = 'l2' | 'cosine' | 'dot';

/** The approximate index `buildIndex()` creates: pgvector's HNSW or IVFFlat, or none (exact scans only). */
export type PgvectorAnnIndex = 'hnsw' | 'ivfflat' | 'none';

const positiveInt = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));

/**
 * Options schema of the registry entry `'pgvector'` (kind `index`): every option of
 * {@link pgvectorIndex} except `executor` (an object, not data).
 */
export const pgvectorIndexOptions = v.strictObject({
  dim: positiveInt(1, 16000),
  distance: v.optional(v.picklist(['l2', 'cosine', 'dot']), 'l2'),
  table: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[a-z_][a-z0-9_]{0,39}$/, 'Expected a lower-case SQL name of at most 40 letters, digits and underscores'),
    ),
    'emb_vectors',
  ),
  dataDir: v.optional(v.pipe(v.string(), v.minLength(1))),
  connectionString: v.optional(v.pipe(v.string(), v.minLength(1))),
  annIndex: v.optional(v.picklist(['hnsw', 'ivfflat', 'none']), 'hnsw'),
  m: v.optional(positiveInt(2, 100), 16),
  efConstruction: v.optional(positiveInt(4, 1000), 64),
  efSearch: v.optional(positiveInt(1, 1000), 40),
  lists: v.optional(positiveInt(1, 32768), 100),
  probes: v.optional(positiveInt(1, 32768), 1),
  maintenanceWorkMem: v.optional(v.pipe(v.string(), v.regex(/^\d+\s*(kB|MB|GB)$/, "Expected a size such as '512MB'"))),
  batchSize: v.optional(positiveInt(1, 10000), 2000),
});

/** Options of {@link pgvectorIndex}. */
export type PgvectorIndexOptions = v.InferInput<typeof pgvectorIndexOptions> & {
  /** Your own SQL executor (instead of `dataDir` / `connectionString`); `close()` then leaves it open. */
  readonly executor?: SqlExecutor;
};

/** Search options: the contract's `filter` function plus filters that run inside PostgreSQL. */
export interface PgvectorSearchOptions extends SearchOptions {
  /** Keep only entries whose label is one of these (SQL `label = ANY(...)`, uses a btree index). */
  readonly labels?: readonly number[];
  /** Keep only entries whose metadata contains this object (jsonb `@>`, uses a GIN index): `{ camera: 3 }`. */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** Scan every row instead of the approximate index (exact results; default `false`). */
  readonly exact?: boolean;
}

/** Add / upsert options: the contract's plus a progress callback for bulk loads. */
export interface PgvectorAddOptions extends AddOptions {
  /** Called after each batch is written (inside the transaction) with rows done and total. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** A stored entry with its vector (as stored: normalised for cosine). */
export interface PgvectorEntry extends IndexEntry {
  readonly vector: Float32Array;
}

/** What {@link PgvectorIndex.buildIndex} built and how long it took. */
export interface BuildIndexReport {
  readonly type: Exclude<PgvectorAnnIndex, 'none'>;
  readonly ms: number;
}

/** The `Index` contract on PostgreSQL + pgvector, plus bulk-load, ANN-index and lifecycle methods. */
export interface PgvectorIndex extends Index {
  readonly name: 'pgvector';
  readonly metric: PgvectorMetric;
  /** The SQL table holding the vectors. */
  readonly table: string;
  /** The executor in use (PGlite by default). */
  readonly executor: SqlExecutor;
  /** Opens the database and migrates the schema (every method does this on first use); rejects with the open/migration error. */
  ready(): Promise<void>;
  add(vectors: VectorsLike, options?: PgvectorAddOptions): Promise<VectorId[]>;
  upsert(vectors: VectorsLike, options: PgvectorAddOptions & { readonly ids: readonly VectorId[] }): Promise<VectorId[]>;
  search(queries: VectorsLike, k: number, options?: PgvectorSearchOptions): Promise<Neighbours[]>;
  /** The entry stored under `id` with its vector, or `undefined`. */
  get(id: VectorId): Promise<PgvectorEntry | undefined>;
  /** Builds (or rebuilds) the approximate index chosen by `annIndex`; `undefined` when `annIndex` is `'none'`. */
  buildIndex(): Promise<BuildIndexReport | undefined>;
  /** Drops the approximate index (searches become exact scans); `true` when there was one. */
  dropIndex(): Promise<boolean>;
  /** The approximate index present on the table, or `'none'`. */
  annIndexType(): Promise<PgvectorAnnIndex>;
  /** Closes the database connection (unless you passed your own executor). */
  close(): Promise<void>;
}

const OPERATOR: Record<PgvectorMetric, string> = { l2: '<->', cosine: '<=>', dot: '<#>' };
const OPCLASS: Record<PgvectorMetric, string> = { l2: 'vector_l2_ops', cosine: 'vector_cosine_ops', dot: 'vector_ip_ops' };
const QUERY_CHUNK = 128;
/** pgvector indexes `vector` columns of at most 2,000 dimensions. */
const MAX_INDEXED_DIM = 2000;

/** jsonb text of an id: `1` and `"1"` stay distinct, as in the exact index. */
const idJson = (id: VectorId): string => JSON.stringify(Object.is(id, -0) ? 0 : id);

interface Prepared {
  readonly data: Float32Array;
  readonly n: number;
  readonly labels: Int32Array | undefined;
  readonly metadata: (string | null)[] | undefined;
  readonly ids: VectorId[] | undefined;
}

/**
 * A vector index in PostgreSQL with pgvector: the same `Index` contract as `exactIndex`
 * (add, upsert, remove, search with filters), stored in a SQL table, so it persists, scales
 * past memory and can be shared by several processes through a server.
 *
 * Where it runs: embedded PGlite (WASM Postgres, nothing to install) in memory by default or
 * persisted to `dataDir`; a PostgreSQL server with `connectionString` (needs `pg`); or any
 * {@link SqlExecutor} as `executor`.
 *
 * - Writes are transactional: `add` / `upsert` of any size is one transaction (COPY on
 *   PGlite, batched multi-row inserts of `batchSize` rows on a server), so a crash mid-load
 *   leaves none of it. Ids default to increasing integers; a duplicate id in `add` throws.
 * - `buildIndex()` creates the approximate index `annIndex` (`'hnsw'` with `m`,
 *   `efConstruction`; `'ivfflat'` with `lists`). Build it after a bulk load (faster than
 *   maintaining it row by row); later writes keep it up to date. Until then, and with
 *   `{ exact: true }`, searches scan every row and match `exactIndex` (ties: first stored first).
 * - `search(queries, k, { labels, metadata, filter, exact })`: `labels` and `metadata`
 *   (jsonb containment) run in SQL; HNSW searches use `efSearch` (at least `k`) and pgvector's
 *   iterative scans when filtered; `filter` (a function) is applied to candidates fetched
 *   in growing batches. Distances: Euclidean for `'l2'`, similarity for `'cosine'` / `'dot'`.
 * - The schema is versioned (`emb_migrations`); a newer schema throws `UNSUPPORTED_VERSION`.
 *
 * Options (defaults): `dim` (required), `distance` ('l2'), `table` ('emb_vectors'), `dataDir`,
 * `connectionString`, `executor`, `annIndex` ('hnsw'), `m` (16), `efConstruction` (64),
 * `efSearch` (40), `lists` (100), `probes` (1), `maintenanceWorkMem` (the server's),
 * `batchSize` (2000).
 *
 * @example
 * const index = pgvectorIndex({ dim: 128, distance: 'cosine', dataDir: './vectors' });
 * await index.add(embeddings, { labels, metadata: files.map((file) => ({ file })) });
 * await index.buildIndex(); // HNSW
 * const [hit] = await index.search(probe, 5, { metadata: { camera: 3 } });
 * await index.close();
 */
export function pgvectorIndex(options: PgvectorIndexOptions): PgvectorIndex {
  if (options === null || typeof options !== 'object') {
    throw new EmbError('INVALID_OPTION', `pgvectorIndex needs options { dim, ... }, got ${quote(options)}.`);
  }
  const { executor: given, ...rest } = options;
  const o = parseOptions(pgvectorIndexOptions, rest, 'pgvectorIndex');
  const sources = [
    given !== undefined && 'executor',
    o.dataDir !== undefined && 'dataDir',
    o.connectionString !== undefined && 'connectionString',
  ].filter(Boolean);
  if (sources.length > 1) {
    throw new EmbError(
      'INVALID_OPTION',
      `pgvectorIndex: give one of executor, dataDir and connectionString, got ${quote(sources)}.`,
      { option: sources[1] },
    );
  }
  if (given !== undefined && (given === null || typeof given !== 'object' || typeof given.query !== 'function')) {
    throw new EmbError('INVALID_OPTION', `pgvectorIndex: executor must be a SqlExecutor, got ${quote(given)}.`, {
      option: 'executor',
    });
  }
  const executor: SqlExecutor =
    given ??
    (o.connectionString !== undefined
      ? pgExecutor({ connectionString: o.connectionString })
      : pgliteExecutor(o.dataDir !== undefined ? { dataDir: o.dataDir } : {}));
  return createPgvectorIndex(o, executor, given === undefined);
}

function createPgvectorIndex(
  o: v.InferOutput<typeof pgvectorIndexOptions>,
  executor: SqlExecutor,
  owned: boolean,
): PgvectorIndex {
  const { dim, table } = o;
  const metric = o.distance as PgvectorMetric;
  const t = ident(table);
  const annName = `${table}_ann`;
  const op = OPERATOR[metric];
  let annType: PgvectorAnnIndex = 'none';
  let vectorOid = 0;
  let opening: Promise<void> | undefined;
  let closed = false;

  async function sql<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof EmbError) throw error;
      throw new EmbError(
        'IO',
        `pgvector: ${what} on table ${quote(table)} failed: ${errorText(error)}`,
        { table },
        { cause: error },
      );
    }
  }

  function ready(): Promise<void> {
    if (closed) return Promise.reject(new EmbError('IO', `pgvector: the index on table ${quote(table)} is closed.`, { table }));
    opening ??= sql('opening the index', async () => {
      await migratePgvectorSchema(executor, { table, dim, metric });
      annType = await findAnn(executor);
      // The type's OID differs per database; binary vector[] parameters must name it.
      const { rows } = await executor.query<{ oid: number | string }>("SELECT 'vector'::regtype::oid AS oid");
      vectorOid = Number(rows[0]?.oid);
    });
    return opening;
  }

  async function findAnn(q: SqlQueryable): Promise<PgvectorAnnIndex> {
    const { rows } = await q.query<{ def: string }>(
      'SELECT indexdef AS def FROM pg_indexes WHERE schemaname = current_schema() AND indexname = $1',
      [annName],
    );
    const def = rows[0]?.def.toLowerCase() ?? '';
    return def.includes('using hnsw') ? 'hnsw' : def.includes('using ivfflat') ? 'ivfflat' : 'none';
  }

  function readVectors(vectors: VectorsLike, name: string): { data: Float32Array; count: number } {
    const rows = toVectorRows(vectors, dim, name);
    if (metric === 'cosine') normalizeRows(rows.data, dim);
    return rows;
  }

  function prepare(vectors: VectorsLike, opts: AddOptions | undefined, method: string): Prepared {
    const p = readAddInput(vectors, opts, { dim, normalize: metric === 'cosine', method });
    const onProgress = (opts as PgvectorAddOptions | undefined)?.onProgress;
    if (onProgress !== undefined && typeof onProgress !== 'function') {
      throw new EmbError(
        'INVALID_ARGUMENT',
        `${method}: onProgress must be a function (done, total) => void, got ${quote(onProgress)}.`,
      );
    }
    // Stored as json text; readAddInput has already checked that each object serialises.
    return { ...p, metadata: p.metadata?.map((m) => (m === undefined ? null : JSON.stringify(m))) };
  }

  /** Integer ids from the stored counter, skipping any already taken (as `exactIndex` does). */
  async function allocateIds(tx: SqlQueryable, n: number): Promise<VectorId[]> {
    const { rows } = await tx.query<{ next: string | number }>(
      'SELECT next_auto_id AS next FROM emb_indexes WHERE tbl = $1 FOR UPDATE',
      [table],
    );
    let next = Number(rows[0]?.next ?? 0);
    const out: VectorId[] = [];
    while (out.length < n) {
      const need = n - out.length;
      const candidates = Array.from({ length: need }, (_, i) => next + i);
      const taken = await tx.query<{ id: VectorId }>(`SELECT id FROM ${t} WHERE id = ANY($1::jsonb[])`, [
        arrayLiteral(candidates.map((c) => String(c))),
      ]);
      const used = new Set(taken.rows.map((r) => r.id));
      for (const c of candidates) if (!used.has(c)) out.push(c);
      next += need;
    }
    await tx.query('UPDATE emb_indexes SET next_auto_id = $2 WHERE tbl = $1', [table, next]);
    return out;
  }

  async function writeRows(
    tx: SqlQueryable,
    p: Prepared,
    ids: readonly VectorId[],
    mode: 'insert' | 'upsert',
    onProgress: ((done: number, total: number) => void) | undefined,
  ): Promise<void> {
    const batch = o.batchSize;
    for (let start = 0; start < p.n; start += batch) {
      const end = Math.min(p.n, start + batch);
      const idCol: string[] = [];
      const labelCol: (number | null)[] = [];
      const metaCol: (string | null)[] = [];
      for (let i = start; i < end; i++) {
        idCol.push(idJson(ids[i] as VectorId));
        labelCol.push(p.labels ? (p.labels[i] as number) : null);
        metaCol.push(p.metadata?.[i] ?? null);
      }
      if (mode === 'insert' && tx.copyFrom) {
        await tx.copyFrom(
          `COPY ${t} (id, label, metadata, embedding) FROM '/dev/blob' WITH (FORMAT binary)`,
          binaryCopyRows(idCol, labelCol, metaCol, p.data, start * dim, dim),
        );
      } else {
        await tx.query(
          `INSERT INTO ${t} (id, label, metadata, embedding)
           SELECT * FROM unnest($1::jsonb[], $2::integer[], $3::json[], $4::vector[])${
             mode === 'upsert'
               ? ' ON CONFLICT (id) DO UPDATE SET label = excluded.label, metadata = excluded.metadata, embedding = excluded.embedding'
               : ''
           }`,
          [
            arrayLiteral(idCol),
            arrayLiteral(labelCol),
            arrayLiteral(metaCol),
            binaryVectorArray(p.data, start * dim, end - start, dim, vectorOid),
          ],
        );
      }
      onProgress?.(end, p.n);
    }
  }

  async function size(): Promise<number> {
    await ready();
    return sql('counting rows', async () => {
      const { rows } = await executor.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${t}`);
      return Number(rows[0]?.n ?? 0);
    });
  }

  interface Candidate {
    readonly id: VectorId;
    readonly label: number | null;
    readonly seq: number;
    readonly d: number;
    readonly metadata?: Record<string, unknown> | null;
  }

  async function searchImpl(queries: VectorsLike, k: number, opts: PgvectorSearchOptions | undefined): Promise<Neighbours[]> {
    // k against the size is checked later, only when a query comes back short (a count costs a query).
    const filter = checkSearchArgs(k, Number.POSITIVE_INFINITY, opts, { optionNames: '{ filter?, labels?, metadata?, exact? }' });
    const labels = opts?.labels === undefined ? undefined : Array.from(toLabels(opts.labels as number[], { name: 'labels' }));
    const metadata = opts?.metadata;
    if (metadata !== undefined && (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata))) {
      throw new EmbError('INVALID_ARGUMENT', `search: metadata must be an object to match (jsonb @>), got ${quote(metadata)}.`);
    }
    const q = readVectors(queries, 'queries');
    await ready();
    if (q.count === 0) return [];

    const where: string[] = [];
    const params: unknown[] = [];
    if (labels !== undefined) {
      params.push(arrayLiteral(labels));
      where.push(`label = ANY($${params.length + 2}::integer[])`);
    }
    if (metadata !== undefined) {
      params.push(JSON.stringify(metadata));
      where.push(`metadata::jsonb @> $${params.length + 2}::jsonb`);
    }
    const useAnn = annType !== 'none' && opts?.exact !== true;
    const filtered = where.length > 0 || filter !== undefined;
    const columns = `id, label, seq, embedding ${op} q.v AS d${filter ? ', metadata' : ''}`;
    const order = useAnn ? `embedding ${op} q.v` : `embedding ${op} q.v, seq`;
    const text = `SELECT q.i AS qi, r.* FROM unnest($1::vector[]) WITH ORDINALITY AS q(v, i)
      CROSS JOIN LATERAL (SELECT ${columns} FROM ${t}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${order} LIMIT $2) r`;

    const run = (rowsOf: readonly number[], limit: number) =>
      sql('searching', async () => {
        const picked = new Float32Array(rowsOf.length * dim);
        rowsOf.forEach((row, i) => {
          picked.set(q.data.subarray(row * dim, (row + 1) * dim), i * dim);
        });
        const args = [binaryVectorArray(picked, 0, rowsOf.length, dim, vectorOid), limit, ...params];
        if (!useAnn && annType === 'none') return (await executor.query<Candidate & { qi: number | string }>(text, args)).rows;
        return executor.transaction(async (tx) => {
          if (!useAnn) {
            await tx.query("SELECT set_config('enable_indexscan', 'off', true)");
          } else if (annType === 'hnsw') {
            await tx.query("SELECT set_config('hnsw.ef_search', $1, true)", [
              String(Math.min(1000, Math.max(o.efSearch, limit))),
            ]);
            if (filtered) await tx.query("SELECT set_config('hnsw.iterative_scan', 'strict_order', true)");
          } else {
            await tx.query("SELECT set_config('ivfflat.probes', $1, true)", [String(o.probes)]);
            if (filtered) await tx.query("SELECT set_config('ivfflat.iterative_scan', 'relaxed_order', true)");
          }
          return (await tx.query<Candidate & { qi: number | string }>(text, args)).rows;
        });
      });

    const results: Neighbours[] = [];
    let total: number | undefined;
    for (let start = 0; start < q.count; start += QUERY_CHUNK) {
      const end = Math.min(q.count, start + QUERY_CHUNK);
      const picked: Candidate[][] = Array.from({ length: end - start }, () => []);
      let pending = picked.map((_, i) => i);
      // Without a filter function one round suffices; with one, fetch more candidates until k pass or none are left.
      let limit = filter ? Math.max(4 * k, 64) : k;
      for (;;) {
        const rows = await run(
          pending.map((i) => start + i),
          limit,
        );
        const byQuery: Candidate[][] = pending.map(() => []);
        for (const r of rows) byQuery[Number(r.qi) - 1]?.push(r);
        const next: number[] = [];
        pending.forEach((qi, j) => {
          const got = (byQuery[j] as Candidate[]).sort((a, b) => a.d - b.d || Number(a.seq) - Number(b.seq));
          const keep = filter
            ? got.filter((c) => filter({ id: c.id, label: c.label, metadata: c.metadata ?? undefined })).slice(0, k)
            : got;
          picked[qi] = keep;
          if (filter && keep.length < k && got.length === limit) next.push(qi);
        });
        if (next.length === 0) break;
        pending = next;
        limit *= 4;
      }
      for (const list of picked) {
        if (list.length < k) {
          total ??= await size();
          if (k > total) {
            throw new EmbError(
              'K_TOO_LARGE',
              `search: k = ${k} but the index holds ${total} vector${total === 1 ? '' : 's'}; ask for at most ${total} neighbours or add more vectors.`,
              { k, size: total },
            );
          }
        }
        const distances = new Float32Array(list.length);
        list.forEach((c, j) => {
          const d = Number(c.d);
          distances[j] = metric === 'l2' ? d : metric === 'cosine' ? 1 - d : -d;
        });
        results.push({
          ids: list.map((c) => c.id),
          labels: list.map((c) => (c.label === null ? null : Number(c.label))),
          distances,
        });
      }
    }
    return results;
  }

  const index: PgvectorIndex = {
    specificationVersion,
    name: 'pgvector',
    dim,
    metric,
    isInverted: metric !== 'l2',
    table,
    executor,
    ready,
    size,
    async add(vectors, opts) {
      const p = prepare(vectors, opts, 'add');
      await ready();
      return sql('adding vectors', () =>
        executor.transaction(async (tx) => {
          if (p.ids !== undefined && p.n > 0) {
            const { rows } = await tx.query<{ id: VectorId }>(`SELECT id FROM ${t} WHERE id = ANY($1::jsonb[]) LIMIT 1`, [
              arrayLiteral(p.ids.map(idJson)),
            ]);
            if (rows.length > 0) {
              const id = rows[0]?.id;
              throw new EmbError(
                'INVALID_ARGUMENT',
                `add: id ${quote(id)} is already in the index; use upsert() to replace it or remove() it first.`,
                { id },
              );
            }
          }
          const ids = p.ids ?? (await allocateIds(tx, p.n));
          await writeRows(tx, p, ids, 'insert', opts?.onProgress);
          return ids;
        }),
      );
    },
    async upsert(vectors, opts) {
      if (opts === null || typeof opts !== 'object' || opts.ids === undefined) {
        throw new EmbError('INVALID_ARGUMENT', 'upsert needs { ids } (one per vector): it replaces entries by id.');
      }
      const p = prepare(vectors, opts, 'upsert');
      await ready();
      const ids = p.ids as VectorId[];
      await sql('upserting vectors', () => executor.transaction((tx) => writeRows(tx, p, ids, 'upsert', opts.onProgress)));
      return ids;
    },
    async remove(toRemove) {
      if (!Array.isArray(toRemove)) {
        throw new EmbError('INVALID_ARGUMENT', `remove expects an array of ids, got ${quote(toRemove)}.`);
      }
      const valid = toRemove.filter((id) => typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)));
      await ready();
      if (valid.length === 0) return 0;
      return sql('removing vectors', async () => {
        const r = await executor.query(`DELETE FROM ${t} WHERE id = ANY($1::jsonb[])`, [arrayLiteral(valid.map(idJson))]);
        return r.rowCount;
      });
    },
    search: searchImpl,
    async get(id) {
      assertVectorId(id, 'get: id');
      await ready();
      return sql('reading a vector', async () => {
        const { rows } = await executor.query<{
          id: VectorId;
          label: number | null;
          metadata: Record<string, unknown> | null;
          e: string;
        }>(`SELECT id, label, metadata, embedding::text AS e FROM ${t} WHERE id = $1::jsonb`, [idJson(id)]);
        const r = rows[0];
        if (r === undefined) return undefined;
        const vector = new Float32Array(dim);
        parseVector(r.e, vector, 0);
        return { id: r.id, label: r.label === null ? null : Number(r.label), metadata: r.metadata ?? undefined, vector };
      });
    },
    async buildIndex() {
      if (o.annIndex === 'none') return undefined;
      if (dim > MAX_INDEXED_DIM) {
        throw new EmbError(
          'INVALID_OPTION',
          `pgvector indexes vectors of at most ${MAX_INDEXED_DIM} dimensions, got dim ${quote(dim)}; reduce the dimension or search exactly (annIndex: 'none').`,
          { option: 'dim', value: dim },
        );
      }
      await ready();
      const type = o.annIndex;
      const withClause = type === 'hnsw' ? `m = ${o.m}, ef_construction = ${o.efConstruction}` : `lists = ${o.lists}`;
      const t0 = performance.now();
      await sql('building the approximate index', () =>
        executor.transaction(async (tx) => {
          if (o.maintenanceWorkMem !== undefined) {
            await tx.query("SELECT set_config('maintenance_work_mem', $1, true)", [o.maintenanceWorkMem]);
          }
          await tx.query(`DROP INDEX IF EXISTS ${ident(annName)}`);
          await tx.query(
            `CREATE INDEX ${ident(annName)} ON ${t} USING ${type} (embedding ${OPCLASS[metric]}) WITH (${withClause})`,
          );
        }),
      );
      annType = type;
      return { type, ms: performance.now() - t0 };
    },
    async dropIndex() {
      await ready();
      const had = annType !== 'none' || (await findAnn(executor)) !== 'none';
      await sql('dropping the approximate index', () => executor.query(`DROP INDEX IF EXISTS ${ident(annName)}`));
      annType = 'none';
      return had;
    },
    async annIndexType() {
      await ready();
      annType = await sql('reading the index list', () => findAnn(executor));
      return annType;
    },
    async close() {
      if (closed) return;
      closed = true;
      if (owned) await executor.close();
    },
  };
  return Object.freeze(index);
}
