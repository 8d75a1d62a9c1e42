import { initBackend, isEmbError } from '@emb/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { adjustedMutualInfo, kMeans } from './index.js';
import { clusteredRows } from './test-helpers.js';

describe('kMeans', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });

  it('kMeans recovers well separated clusters and is reproducible with a seed', async () => {
    const { data, labels } = clusteredRows(6, 50, 10, 2, 0.1);
    const a = await kMeans(data, { k: 6, dim: 10, seed: 3 });
    const b = await kMeans(data, { k: 6, dim: 10, seed: 3 });
    expect(adjustedMutualInfo(labels, a.assignments)).toBeCloseTo(1, 10);
    expect(Array.from(a.assignments)).toEqual(Array.from(b.assignments));
    expect(Array.from(a.centroids)).toEqual(Array.from(b.centroids));
    expect(a.inertia).toBeGreaterThan(0);
  });

  it('kMeans survives duplicate points that leave clusters empty', async () => {
    const data = new Float32Array(40).fill(1);
    data.fill(5, 20);
    const r = await kMeans(data, { k: 4, dim: 2, seed: 0 });
    expect(new Set(r.assignments).size).toBeGreaterThanOrEqual(2);
    expect(r.centroids.every(Number.isFinite)).toBe(true);
  });

  it('kMeans rejects k larger than the number of points', async () => {
    await expect(kMeans([[0], [1]], { k: 3 })).rejects.toSatisfy((e) => isEmbError(e, 'INVALID_OPTION'));
  });
});
