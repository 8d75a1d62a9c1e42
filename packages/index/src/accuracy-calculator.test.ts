import { type Index, initBackend, isEmbError } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { accuracyCalculator, exactIndex } from './index.js';
import { clusteredRows } from './test-helpers.js';

function rows(data: Float32Array, dim: number): number[][] {
  return Array.from({ length: data.length / dim }, (_, i) => Array.from(data.subarray(i * dim, (i + 1) * dim)));
}

describe('accuracyCalculator', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });

  it('accuracyCalculator scores well separated classes perfectly, NMI and AMI included', async () => {
    const dim = 8;
    const { data, labels } = clusteredRows(5, 12, dim, 3, 0.05);
    const before = tf.memory().numTensors;
    const r = await accuracyCalculator({ k: 'max_bin_count', recallAtK: [1, 4] }).compute({
      query: rows(data, dim),
      queryLabels: labels,
    });
    expect(r).toMatchObject({
      precisionAt1: 1,
      rPrecision: 1,
      meanAveragePrecisionAtR: 1,
      meanAveragePrecision: 1,
      meanReciprocalRank: 1,
      nmi: 1,
    });
    expect(r.ami).toBeCloseTo(1, 12);
    expect(r.recallAtK).toEqual({ 1: 1, 4: 1 });
    expect(r.knn?.k).toBe(11);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('accuracyCalculator gives the same neighbours through the symmetric self-search and a plain search', async () => {
    const dim = 6;
    const { data, labels } = clusteredRows(5, 240, dim, 5, 1.5);
    const calc = accuracyCalculator({ include: ['precisionAt1', 'meanAveragePrecisionAtR'], k: 'max_bin_count' });
    const self = await calc.compute({ query: rows(data, dim), queryLabels: labels });
    // Same set passed as a separate reference: the plain tiled search with k + 1 and self removal.
    const plain = await calc.compute({
      query: rows(data, dim),
      queryLabels: labels,
      reference: rows(data, dim),
      referenceLabels: labels,
      refIncludesQuery: true,
    });
    const a = self.knn!.indices;
    const b = plain.knn!.indices;
    expect(a.length).toBe(1200 * 239);
    // Both are exact; the two score formulas round differently, so float32 near-ties may swap.
    let differ = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differ++;
    expect(differ).toBeLessThan(a.length * 1e-3);
    expect(self.precisionAt1).toBeCloseTo(plain.precisionAt1!, 3);
    expect(self.meanAveragePrecisionAtR).toBeCloseTo(plain.meanAveragePrecisionAtR!, 3);
  });

  it('accuracyCalculator evaluates any Index and reports its recall against exact neighbours', async () => {
    const dim = 4;
    const { data, labels } = clusteredRows(4, 10, dim, 9, 0.3);
    // A deliberately poor "approximate" index: it only ever sees even ids.
    const lossy = (): Index => {
      const inner = exactIndex({ dim });
      return {
        ...inner,
        name: 'lossy',
        add: (v, o) => inner.add(v, o),
        search: async (q, k, o) =>
          inner.search(q, k, { ...o, filter: (e) => (e.id as number) % 2 === 0 || (e.id as number) < 2 }),
      };
    };
    const exact = await accuracyCalculator({ include: ['precisionAt1'], k: 3 }).compute({
      query: rows(data, dim),
      queryLabels: labels,
    });
    const viaExact = await accuracyCalculator({
      include: ['precisionAt1'],
      k: 3,
      index: ({ dim: d }) => exactIndex({ dim: d }),
    }).compute({
      query: rows(data, dim),
      queryLabels: labels,
    });
    expect(viaExact.knnRecall).toBe(1);
    expect(viaExact.precisionAt1).toBe(exact.precisionAt1);
    const half = await accuracyCalculator({ include: ['precisionAt1'], k: 2, index: lossy }).compute({
      query: rows(data, dim).slice(0, 20),
      queryLabels: labels.subarray(0, 20),
      reference: rows(data, dim),
      referenceLabels: labels,
    });
    expect(half.knnRecall).toBeGreaterThan(0.2);
    expect(half.knnRecall).toBeLessThan(0.9);
  });

  it('accuracyCalculator drops lone queries and returns 0 when every query is lone', async () => {
    const r = await accuracyCalculator({ include: ['precisionAt1', 'meanReciprocalRank'] }).compute({
      query: [[0], [1], [5]],
      queryLabels: [1, 2, 3],
    });
    expect(r.precisionAt1).toBe(0);
    expect(r.meanReciprocalRank).toBe(0);
  });

  it('accuracyCalculator rejects k beyond the reference, unknown metrics and mismatched inputs', async () => {
    const code = async (p: Promise<unknown> | (() => unknown)) => {
      try {
        await (typeof p === 'function' ? p() : p);
      } catch (e) {
        return isEmbError(e) ? e.code : 'other';
      }
      return undefined;
    };
    const q = [[0], [1], [2]];
    expect(
      await code(accuracyCalculator({ include: ['precisionAt1'], k: 3 }).compute({ query: q, queryLabels: [1, 1, 2] })),
    ).toBe('K_TOO_LARGE');
    expect(
      await code(accuracyCalculator({ include: ['precisionAt1'], recallAtK: [5] }).compute({ query: q, queryLabels: [1, 1, 2] })),
    ).toBe('K_TOO_LARGE');
    expect(await code(() => accuracyCalculator({ include: ['precision_at_1' as never] }))).toBe('INVALID_OPTION');
    expect(await code(() => accuracyCalculator({ k: 0 }))).toBe('INVALID_OPTION');
    expect(await code(accuracyCalculator().compute({ query: q, queryLabels: [1, 1] }))).toBe('LABELS_LENGTH');
    expect(await code(accuracyCalculator().compute({ query: [[0], [Number.NaN]], queryLabels: [1, 1] }))).toBe('NON_FINITE');
  });
});
