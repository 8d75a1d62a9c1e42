import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { EmbError, initBackend, isEmbError, registry } from '@emb/core';
import { cosineSimilarity, dotProductSimilarity, lpDistance } from '@emb/distance';
import { beforeAll, describe, expect, it } from 'vitest';
import { exactIndex, exactIndexFromBytes, indexPlugin } from './index.js';
import { bruteForce, randomRows } from './test-helpers.js';

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (isEmbError(e)) return e.code;
    throw e;
  }
  return undefined;
}

describe.each(['wasm', 'cpu'] as const)('exactIndex on %s', (backend) => {
  beforeAll(async () => {
    await initBackend({ backend, quiet: true });
  });

  it.each(['l2', 'cosine', 'dot'] as const)('exactIndex finds the same %s neighbours as brute force', async (metric) => {
    const dim = 12;
    const ref = randomRows(300, dim, 1);
    const queries = randomRows(40, dim, 2);
    const index = exactIndex({ dim, distance: metric });
    const ids = await index.add(ref);
    expect(ids.slice(0, 3)).toEqual([0, 1, 2]);
    const found = await index.search(queries, 7);
    const expected = bruteForce(ref, queries, dim, 7, metric);
    expect(found.map((n) => n.ids)).toEqual(expected.indices);
    found.forEach((n, q) => {
      n.distances.forEach((d, j) => {
        expect(d).toBeCloseTo(expected.values[q]![j]!, 4);
      });
    });
    index.dispose();
  });

  it('exactIndex searches across several blocks and query tiles with bounded memory', async () => {
    const dim = 8;
    const ref = randomRows(9000, dim, 3);
    // The cpu backend is slow; it still crosses the query-tile boundary with 600 queries.
    const nq = backend === 'wasm' ? 1100 : 600;
    const queries = randomRows(nq, dim, 4);
    const index = exactIndex({ dim });
    await index.add(ref);
    const before = tf.memory().numTensors;
    let found: Awaited<ReturnType<typeof index.search>> = [];
    const profile = await tf.profile(async () => {
      found = await index.search(queries, 5);
    });
    // A full 1100 x 9000 float32 matrix is ~40 MB; one tile is at most 512 x 4096 (8 MB).
    expect(profile.peakBytes).toBeLessThan(12 * 1024 * 1024);
    const sample = [0, 511, 512, nq - 1];
    for (const q of sample) {
      const expected = bruteForce(ref, queries.subarray(q * dim, (q + 1) * dim), dim, 5, 'l2');
      expect(found[q]!.ids).toEqual(expected.indices[0]);
    }
    // The cached blocks stay (3 of them); nothing else leaks, and dispose frees them.
    expect(tf.memory().numTensors).toBe(before + 3);
    await index.search(queries.subarray(0, dim * 3), 2);
    expect(tf.memory().numTensors).toBe(before + 3);
    index.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('exactIndex accepts Distance objects and rejects ones it cannot rank by', () => {
    expect(exactIndex({ dim: 2, distance: lpDistance({ normalizeEmbeddings: false }) }).metric).toBe('l2');
    expect(exactIndex({ dim: 2, distance: cosineSimilarity() }).metric).toBe('cosine');
    expect(exactIndex({ dim: 2, distance: dotProductSimilarity() }).metric).toBe('cosine');
    expect(exactIndex({ dim: 2, distance: dotProductSimilarity({ normalizeEmbeddings: false }) }).metric).toBe('dot');
    expect(() => exactIndex({ dim: 2, distance: lpDistance() })).toThrow(/use 'cosine'/);
    expect(() => exactIndex({ dim: 2, distance: lpDistance({ p: 1, normalizeEmbeddings: false }) })).toThrow(EmbError);
    expect(() => exactIndex({ dim: 0 })).toThrow(/dim must be a positive integer/);
  });

  it('exactIndex returns labels, keeps metadata and filters before ranking', async () => {
    const index = exactIndex({ dim: 2 });
    await index.add(
      [
        [0, 0],
        [1, 0],
        [2, 0],
        [3, 0],
      ],
      { ids: ['a', 'b', 'c', 'd'], labels: [7, 7, 8, 8], metadata: [{ camera: 1 }, undefined, { camera: 2 }, { camera: 2 }] },
    );
    const [all] = await index.search([[0.1, 0]], 2);
    expect(all!.ids).toEqual(['a', 'b']);
    expect(all!.labels).toEqual([7, 7]);
    expect(Array.from(all!.distances)).toEqual([expect.closeTo(0.1, 6), expect.closeTo(0.9, 6)]);
    const [filtered] = await index.search([[0.1, 0]], 2, { filter: (e) => e.metadata?.camera === 2 });
    expect(filtered!.ids).toEqual(['c', 'd']);
    const [few] = await index.search([[0.1, 0]], 3, { filter: (e) => e.label === 7 });
    expect(few!.ids).toEqual(['a', 'b']);
    const [none] = await index.search([[0.1, 0]], 1, { filter: () => false });
    expect(none!.ids).toEqual([]);
    expect(index.get('c')).toEqual({ id: 'c', label: 8, metadata: { camera: 2 }, vector: new Float32Array([2, 0]) });
    index.dispose();
  });

  it('exactIndex removes and upserts by id', async () => {
    const index = exactIndex({ dim: 1 });
    await index.add([[0], [10], [20], [30]], { ids: ['a', 'b', 'c', 'd'] });
    await index.search([[0]], 1); // build the cache, so that removal must invalidate it
    expect(await index.remove(['b', 'zzz'])).toBe(1);
    expect(await index.size()).toBe(3);
    expect(index.has('b')).toBe(false);
    expect((await index.search([[9]], 1))[0]!.ids).toEqual(['a']);
    expect((await index.search([[29]], 1))[0]!.ids).toEqual(['d']);
    await index.upsert([[11], [40]], { ids: ['a', 'e'], labels: [1, 2] });
    expect(await index.size()).toBe(4);
    const [n] = await index.search([[12]], 4);
    expect(n!.ids).toEqual(['a', 'c', 'd', 'e']);
    expect(n!.labels).toEqual([1, null, null, 2]);
    const auto = await index.add([[50]]);
    expect(auto).toEqual([0]);
    index.dispose();
  });

  it('exactIndex gives typed errors for bad input', async () => {
    const index = exactIndex({ dim: 3 });
    expect(await codeOf(index.search([[0, 0, 0]], 1))).toBe('K_TOO_LARGE');
    await index.add([[1, 2, 3]], { ids: [5] });
    expect(await codeOf(index.search([[0, 0, 0]], 2))).toBe('K_TOO_LARGE');
    expect(await codeOf(index.search([[0, 0, 0]], 0))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(index.add([[1, Number.NaN, 3]]))).toBe('NON_FINITE');
    expect(await codeOf(index.search([[1, Number.POSITIVE_INFINITY, 3]], 1))).toBe('NON_FINITE');
    expect(await codeOf(index.add([[1, 2]]))).toBe('DIMENSION_MISMATCH');
    expect(await codeOf(index.add(new Float32Array(4)))).toBe('DIMENSION_MISMATCH');
    expect(await codeOf(index.add(tf.zeros([2, 4]) as tf.Tensor2D))).toBe('DIMENSION_MISMATCH');
    expect(await codeOf(index.add([[1, 2, 3]], { ids: [5] }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(index.add([[1, 2, 3]], { labels: [1.5] }))).toBe('INVALID_LABELS');
    expect(await codeOf(index.add([[1, 2, 3]], { metadata: [{ big: 1n } as never] }))).toBe('INVALID_ARGUMENT');
    expect(await index.size()).toBe(1);
  });

  it('exactIndex accepts tensors and flat arrays', async () => {
    const index = exactIndex({ dim: 2, distance: 'cosine' });
    const t = tf.tensor2d([
      [3, 4],
      [0, 2],
    ]);
    await index.add(t);
    await index.add(new Float32Array([-1, 0, 0, -5]));
    t.dispose();
    const [n] = await index.search(new Float32Array([0, 1]), 2);
    expect(n!.ids).toEqual([1, 0]);
    expect(n!.distances[0]).toBeCloseTo(1, 6);
    expect(n!.distances[1]).toBeCloseTo(0.8, 6);
    index.dispose();
  });
});

describe('exactIndex bytes', () => {
  it('exactIndexFromBytes restores ids, labels, metadata, metric and the next automatic id', async () => {
    const index = exactIndex({ dim: 3, distance: 'dot' });
    await index.add([[1, 2, 3]], { labels: [4], metadata: [{ name: 'ada' }] });
    await index.add([[0, 1, 0]], { ids: ['x'] });
    const copy = exactIndexFromBytes(index.toBytes(), { dim: 3 });
    expect(copy.metric).toBe('dot');
    expect(await copy.size()).toBe(2);
    expect(copy.get(0)).toEqual({ id: 0, label: 4, metadata: { name: 'ada' }, vector: new Float32Array([1, 2, 3]) });
    expect(copy.get('x')?.label).toBeNull();
    expect(await copy.add([[0, 0, 1]])).toEqual([1]);
  });
});

describe('indexPlugin', () => {
  it("indexPlugin registers the 'exact' index", () => {
    const r = registry;
    if (!r.has('index', 'exact')) r.use(indexPlugin);
    const index = r.create('index', 'exact', { dim: 4, distance: 'cosine' });
    expect(index.metric).toBe('cosine');
    expect(() => r.create('index', 'exact', { dim: -1 })).toThrow(/dim/);
  });
});
