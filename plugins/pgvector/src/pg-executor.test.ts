import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { Index } from '@emb/core';
import { exactIndex } from '@emb/index';
import { describeIndex } from '@emb/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PgPoolLike, type PgvectorIndex, pgExecutor, pgliteExecutor, pgvectorIndex, type SqlExecutor } from './index.js';
import { codeOf, freshDataDir, randomRows } from './test-helpers.js';

// The server path for real: PGlite served over the PostgreSQL wire protocol on a loopback
// port (@electric-sql/pglite-socket), and the plugin talking to it through `pg` (no mocks).
// PGlite is one session, so the pool keeps one connection: transactions stay whole.
let server: PGLiteSocketServer;
let db: PGlite;
let dataDir: string;
const ready = (async () => {
  dataDir = await freshDataDir();
  db = await pgliteExecutor({ dataDir }).database();
  // Two connections: the suite's pool and the own-pool test's (never in a transaction at the same time).
  server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 2 });
  await server.start();
  const [host, port] = server.getServerConn().split(':');
  return {
    connectionString: `postgres://postgres@${host}:${port}/postgres`,
    executor: pgExecutor({
      connectionString: `postgres://postgres@${host}:${port}/postgres`,
      config: { max: 1 },
    }),
  };
})();
let tables = 0;
const make = async (options: Record<string, unknown>) =>
  pgvectorIndex({ ...(options as { dim: number }), executor: (await ready).executor, table: `wire_${tables++}` });

afterAll(async () => {
  await (await ready).executor.close();
  await server.stop();
  await db.close();
  rmSync(dirname(dataDir), { recursive: true, force: true });
});

describeIndex(make, {
  name: 'pgvector over pg',
  options: { dim: 8, distance: 'cosine' },
  backends: ['wasm'],
  dispose: (index: Index) =>
    index.name === 'pgvector' ? (index as PgvectorIndex).close() : (index as { dispose?: () => void }).dispose?.(),
});

describe('pgvectorIndex over the PostgreSQL wire protocol (pg -> PGlite socket server)', () => {
  let executor: SqlExecutor;
  beforeAll(async () => {
    executor = (await ready).executor;
  });

  it('pgExecutor speaks to a real server: dialect, round trip, typed values', async () => {
    expect(executor.dialect).toBe('postgres');
    const { rows } = await executor.query<{ v: string; n: number }>("SELECT '[1,2,3]'::vector::text AS v, 2 + 3 AS n");
    expect(rows).toEqual([{ v: '[1,2,3]', n: 5 }]);
  });

  it('pgExecutor runs on your own pg.Pool and leaves it open', async () => {
    const pool: PgPoolLike = new pg.Pool({ connectionString: (await ready).connectionString, max: 1 });
    const own = pgExecutor({ pool });
    expect((await own.query<{ n: number }>('SELECT 1 AS n')).rows).toEqual([{ n: 1 }]);
    await own.close();
    expect((await pool.query('SELECT 2 AS n')).rows).toEqual([{ n: 2 }]);
    await pool.end();
  });

  it('pgvectorIndex loads in batched inserts over pg, builds HNSW and filters like exactIndex', async () => {
    const dim = 12;
    const n = 900;
    const ref = randomRows(n, dim, 21);
    const queries = randomRows(10, dim, 22);
    const labels = Array.from({ length: n }, (_, i) => i % 6);
    const metadata = Array.from({ length: n }, (_, i) => ({ shard: i % 3 }));
    const index = await make({ dim, batchSize: 250, efSearch: 80 });
    const exact = exactIndex({ dim });
    const progress: number[] = [];
    await index.add(ref, { labels, metadata, onProgress: (done) => progress.push(done) });
    await exact.add(ref, { labels, metadata });
    expect(progress).toEqual([250, 500, 750, 900]);
    const want = await exact.search(queries, 10, { filter: (e) => e.label === 2 && e.metadata?.shard === 2 });
    const before = await index.search(queries, 10, { labels: [2], metadata: { shard: 2 } });
    expect(before.map((r) => r.ids)).toEqual(want.map((r) => r.ids));
    expect(before[0]!.ids).toHaveLength(10);
    expect((await index.buildIndex())?.type).toBe('hnsw');
    const after = await index.search(queries, 10, { labels: [2], metadata: { shard: 2 } });
    let hits = 0;
    after.forEach((r, q) => {
      for (const id of r.ids) if (want[q]!.ids.includes(id)) hits++;
    });
    expect(hits / (10 * after.length)).toBeGreaterThan(0.9);
    exact.dispose();
  });

  it('a failing bulk load over pg leaves the table as it was (one transaction)', async () => {
    const dim = 4;
    const index = await make({ dim, batchSize: 10 });
    await index.add(randomRows(5, dim, 23));
    // Row 35 (in the fourth batch) holds text PostgreSQL rejects in json: the whole add rolls back.
    const metadata = Array.from({ length: 50 }, (_, i) => (i === 35 ? { bad: '\u0000' } : { ok: i }));
    expect(await codeOf(index.add(randomRows(50, dim, 24), { metadata }))).toBe('IO');
    expect(await index.size()).toBe(5);
    // The auto-id counter rolled back too.
    expect(await index.add(randomRows(1, dim, 25))).toEqual([5]);
  });

  it('upsert and remove over pg', async () => {
    const index = await make({ dim: 2 });
    await index.add(
      [
        [0, 0],
        [1, 1],
      ],
      { ids: ['a', 'b'] },
    );
    await index.upsert(
      [
        [5, 5],
        [2, 2],
      ],
      { ids: ['a', 'c'], labels: [1, 2] },
    );
    expect(await index.size()).toBe(3);
    expect(Array.from((await index.get('a'))!.vector)).toEqual([5, 5]);
    expect(await index.remove(['b', 'zzz'])).toBe(1);
    const [r] = await index.search([[4.9, 5]], 2);
    expect(r!.ids).toEqual(['a', 'c']);
    expect(r!.labels).toEqual([1, 2]);
  });
});
