import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { initBackend, registry } from '@emb/core';
import { exactIndex } from '@emb/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteExecutor, pgvectorIndex, pgvectorPlugin } from './index.js';
import { codeOf, freshDataDir, messageOf, randomRows } from './test-helpers.js';

// One embedded database for the file (starting PGlite costs seconds); each test its own table.
let executor: ReturnType<typeof pgliteExecutor>;
let dataDir: string;
let tableNo = 0;
const open = (options: Omit<Parameters<typeof pgvectorIndex>[0], 'executor' | 'table'>) =>
  pgvectorIndex({ ...options, executor, table: `t${tableNo++}` });

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
  dataDir = await freshDataDir();
  executor = pgliteExecutor({ dataDir });
  await executor.query('SELECT 1');
});
afterAll(async () => {
  await executor.close();
  rmSync(dirname(dataDir), { recursive: true, force: true });
});

describe('pgvectorIndex on PGlite', () => {
  it.each(['l2', 'cosine', 'dot'] as const)(
    'pgvectorIndex finds the same %s neighbours and distances as exactIndex',
    async (metric) => {
      const dim = 16;
      const ref = randomRows(300, dim, 1);
      const queries = randomRows(20, dim, 2);
      const index = open({ dim, distance: metric });
      const exact = exactIndex({ dim, distance: metric });
      expect(await index.add(ref)).toEqual(await exact.add(ref));
      expect(await index.size()).toBe(300);
      const got = await index.search(queries, 7);
      const want = await exact.search(queries, 7);
      expect(got.map((n) => n.ids)).toEqual(want.map((n) => n.ids));
      got.forEach((n, q) => {
        n.distances.forEach((d, j) => {
          expect(d).toBeCloseTo(want[q]!.distances[j]!, 4);
        });
      });
      expect(index.isInverted).toBe(metric !== 'l2');
      exact.dispose();
    },
  );

  it('pgvectorIndex keeps ids, labels and metadata, and filters by label, metadata and function like exactIndex', async () => {
    const dim = 8;
    const n = 200;
    const ref = randomRows(n, dim, 3);
    const queries = randomRows(6, dim, 4);
    const ids = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? `s${i}` : i * 10));
    const labels = Array.from({ length: n }, (_, i) => i % 5);
    const metadata = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? undefined : { camera: i % 4, tag: `x${i % 2}` }));
    const index = open({ dim });
    const exact = exactIndex({ dim });
    await index.add(ref, { ids, labels, metadata });
    await exact.add(ref, { ids, labels, metadata });

    const all = await index.search(queries, 5);
    const allExact = await exact.search(queries, 5);
    expect(all.map((r) => [r.ids, r.labels])).toEqual(allExact.map((r) => [r.ids, r.labels]));

    const byLabel = await index.search(queries, 5, { labels: [1, 3] });
    const byLabelExact = await exact.search(queries, 5, { filter: (e) => e.label === 1 || e.label === 3 });
    expect(byLabel.map((r) => r.ids)).toEqual(byLabelExact.map((r) => r.ids));

    const byMeta = await index.search(queries, 5, { metadata: { camera: 2, tag: 'x0' } });
    const byMetaExact = await exact.search(queries, 5, { filter: (e) => e.metadata?.camera === 2 && e.metadata?.tag === 'x0' });
    expect(byMeta.map((r) => r.ids)).toEqual(byMetaExact.map((r) => r.ids));

    // A rare function filter makes the index fetch candidates in several rounds.
    const rare = (e: { id: unknown }) => typeof e.id === 'string' && Number(e.id.slice(1)) % 9 === 0;
    const byFn = await index.search(queries, 5, { filter: rare });
    const byFnExact = await exact.search(queries, 5, { filter: rare });
    expect(byFn.map((r) => r.ids)).toEqual(byFnExact.map((r) => r.ids));

    // Fewer matches than k: what matches comes back.
    const few = await index.search(queries.subarray(0, dim), 5, { labels: [4], metadata: { camera: 0, tag: 'x0' } });
    const fewExact = await exact.search(queries.subarray(0, dim), 5, {
      filter: (e) => e.label === 4 && e.metadata?.camera === 0 && e.metadata?.tag === 'x0',
    });
    expect(few[0]!.ids).toEqual(fewExact[0]!.ids);

    const entry = await index.get('s3');
    expect(entry?.label).toBe(3);
    expect(entry?.metadata).toEqual({ camera: 3, tag: 'x1' });
    expect(Array.from(entry!.vector)).toEqual(Array.from(ref.subarray(3 * dim, 4 * dim)));
    expect(await index.get(10)).toMatchObject({ id: 10, label: 1 });
    expect(await index.get('10')).toBeUndefined();
    exact.dispose();
  });

  it('pgvectorIndex upserts, removes and allocates integer ids past taken ones', async () => {
    const dim = 4;
    const index = open({ dim });
    expect(await index.add([[1, 0, 0, 0]], { ids: [1] })).toEqual([1]);
    // Auto ids start at 0 and skip the taken 1.
    expect(
      await index.add([
        [0, 1, 0, 0],
        [0, 0, 1, 0],
        [0, 0, 0, 1],
      ]),
    ).toEqual([0, 2, 3]);
    expect(await codeOf(index.add([[1, 1, 1, 1]], { ids: [2] }))).toBe('INVALID_ARGUMENT');
    expect(
      await messageOf(
        index.add(
          [
            [1, 1, 1, 1],
            [2, 2, 2, 2],
          ],
          { ids: ['a', 2] },
        ),
      ),
    ).toMatch(/id 2 is already in the index; use upsert/);
    expect(await index.size()).toBe(4); // the failed adds wrote nothing

    await index.upsert(
      [
        [9, 9, 9, 9],
        [5, 5, 5, 5],
      ],
      { ids: [2, 'new'], labels: [7, 8], metadata: [{ a: 1 }, undefined] },
    );
    expect(await index.size()).toBe(5);
    const two = await index.get(2);
    expect(Array.from(two!.vector)).toEqual([9, 9, 9, 9]);
    expect(two).toMatchObject({ label: 7, metadata: { a: 1 } });
    const [hit] = await index.search([[9, 9, 9, 9.5]], 1);
    expect(hit!.ids).toEqual([2]);
    expect(hit!.labels).toEqual([7]);

    expect(await index.remove([2, 'missing', 0])).toBe(2);
    expect(await index.size()).toBe(3);
    expect(await index.get(2)).toBeUndefined();
    expect(await index.add([[1, 2, 3, 4]])).toEqual([4]);
  });

  it('pgvectorIndex with an HNSW index finds nearly every exact neighbour and honours filters', async () => {
    const dim = 16;
    const n = 1500;
    const ref = randomRows(n, dim, 5);
    const queries = randomRows(30, dim, 6);
    const labels = Array.from({ length: n }, (_, i) => i % 10);
    const index = open({ dim, efSearch: 64 });
    const exact = exactIndex({ dim });
    await index.add(ref, { labels });
    await exact.add(ref, { labels });
    expect(await index.annIndexType()).toBe('none');
    const built = await index.buildIndex();
    expect(built?.type).toBe('hnsw');
    expect(await index.annIndexType()).toBe('hnsw');
    const want = await exact.search(queries, 10);
    const got = await index.search(queries, 10);
    let hits = 0;
    got.forEach((r, q) => {
      for (const id of r.ids) if (want[q]!.ids.includes(id)) hits++;
    });
    expect(hits / (10 * got.length)).toBeGreaterThan(0.9);
    // exact: true bypasses the approximate index.
    const exactAgain = await index.search(queries, 10, { exact: true });
    expect(exactAgain.map((r) => r.ids)).toEqual(want.map((r) => r.ids));
    // A selective label filter still returns k results (iterative index scan).
    const filtered = await index.search(queries, 10, { labels: [3] });
    for (const r of filtered) {
      expect(r.ids).toHaveLength(10);
      expect(new Set(r.labels)).toEqual(new Set([3]));
    }
    // Writes after the build keep the index in use.
    await index.add([Array.from({ length: dim }, () => 100)], { ids: ['far'] });
    const [far] = await index.search([Array.from({ length: dim }, () => 99)], 1);
    expect(far!.ids).toEqual(['far']);
    expect(await index.dropIndex()).toBe(true);
    expect(await index.annIndexType()).toBe('none');
    exact.dispose();
  });

  it('pgvectorIndex builds an IVFFlat index when asked', async () => {
    const dim = 8;
    const index = open({ dim, annIndex: 'ivfflat', lists: 4, probes: 4 });
    const ref = randomRows(400, dim, 7);
    await index.add(ref);
    expect((await index.buildIndex())?.type).toBe('ivfflat');
    const [r] = await index.search(ref.subarray(5 * dim, 6 * dim), 3);
    expect(r!.ids[0]).toBe(5);
    expect(r!.distances[0]).toBeCloseTo(0, 5);
    expect(await open({ dim, annIndex: 'none' }).buildIndex()).toBeUndefined();
  });

  it('pgvectorIndex rejects bad input with typed errors that quote the value', async () => {
    const index = open({ dim: 3 });
    await index.add([
      [0, 0, 1],
      [0, 1, 0],
    ]);
    expect(await codeOf(index.search([[0, 0, 1]], 3))).toBe('K_TOO_LARGE');
    expect(await messageOf(index.search([[0, 0, 1]], 0))).toMatch(
      /k must be a positive integer \(the number of neighbours per query\), got 0/,
    );
    expect(await codeOf(index.add([[0, 1]]))).toBe('DIMENSION_MISMATCH');
    expect(await messageOf(index.add([[0, Number.NaN, 1]]))).toMatch(/contains NaN at row 0, column 1/);
    expect(await codeOf(index.add([[0, 0, 2]], { ids: [Number.NaN] }))).toBe('INVALID_ARGUMENT');
    expect(await messageOf(index.add([[1, 1, 1]], { metadata: ['x' as never] }))).toMatch(
      /metadata\[0\] must be a plain object, got "x"/,
    );
    expect(await messageOf(index.upsert([[1, 1, 1]], {} as never))).toMatch(/upsert needs \{ ids \}/);
    expect(await codeOf(index.search([[0, 0, 1]], 1, { filter: 3 as never }))).toBe('INVALID_ARGUMENT');
    expect(() => pgvectorIndex({ dim: 0 })).toThrow(/option "dim".*got 0/);
    expect(() => pgvectorIndex({ dim: 4, table: 'Bad-Name' })).toThrow(/option "table".*got "Bad-Name"/);
    expect(() => pgvectorIndex({ dim: 4, annIndex: 'lsh' as never })).toThrow(/option "annIndex".*got "lsh"/);
    expect(() => pgvectorIndex({ dim: 4, dataDir: '/tmp/x', connectionString: 'postgres://h/db' })).toThrow(
      /one of executor, dataDir and connectionString/,
    );
    expect(() => pgvectorIndex({ dim: 4, nope: 1 } as never)).toThrow(/INVALID|nope/);
  });

  it("pgvectorPlugin registers 'pgvector' and validates its options; the default in-memory database works", async () => {
    const r = registry;
    if (!r.has('index', 'pgvector')) r.use(pgvectorPlugin);
    expect(r.has('index', 'pgvector')).toBe(true);
    expect(() => r.create('index', 'pgvector', { dim: -1 })).toThrow(/dim/);
    // The default executor: a new in-memory PGlite (no template), where pgvector is created on open.
    const index = r.create('index', 'pgvector', { dim: 4, distance: 'cosine' });
    expect(index.name).toBe('pgvector');
    expect(index.metric).toBe('cosine');
    await index.add(
      [
        [1, 0, 0, 0],
        [0, 1, 0, 0],
      ],
      { ids: ['x', 'y'] },
    );
    await index.upsert([[0, 0, 1, 0]], { ids: ['z'] });
    const [hit] = await index.search([[0.1, 0.9, 0, 0]], 2);
    expect(hit!.ids).toEqual(['y', 'x']);
    await (index as ReturnType<typeof pgvectorIndex>).close();
  });
});
