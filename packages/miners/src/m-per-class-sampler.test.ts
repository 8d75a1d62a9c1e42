import { createRng, isEmbError } from '@emb/core';
import { describe, expect, it } from 'vitest';
import { mPerClassSampler } from './index.js';

// Uneven classes: sizes 3, 4, 9, 13, 6, 5, 8 (48 rows), shuffled.
const sizes = [3, 4, 9, 13, 6, 5, 8];
const labels = (() => {
  const l = sizes.flatMap((s, c) => new Array<number>(s).fill(c * 10));
  return createRng(1).shuffle(l);
})();

describe('mPerClassSampler', () => {
  it('covers every row of every class in one epoch', () => {
    const batches = mPerClassSampler({ m: 4, batchSize: 16 }).epoch(labels, createRng(0));
    const seen = new Set(batches.flatMap((b) => Array.from(b)));
    expect(seen.size).toBe(labels.length);
  });

  it('returns whole batches of batchSize / m classes with m rows each', () => {
    const batches = mPerClassSampler({ m: 4, batchSize: 16 }).epoch(labels, createRng(0));
    for (const batch of batches) {
      expect(batch.length).toBe(16);
      const perClass = new Map<number, number>();
      for (const row of batch) perClass.set(labels[row] as number, (perClass.get(labels[row] as number) ?? 0) + 1);
      expect([...perClass.values()]).toEqual([4, 4, 4, 4]);
    }
    // 13 rows of the largest class need 4 blocks, 13 blocks in all, 4 per batch: 4 batches.
    expect(batches.length).toBe(4);
  });

  it('gives the same batches for the same seed and different ones for another seed', () => {
    const sampler = mPerClassSampler({ m: 4, batchSize: 16 });
    const a = sampler.epoch(labels, createRng(7));
    expect(sampler.epoch(labels, createRng(7))).toEqual(a);
    expect(sampler.epoch(labels, createRng(8))).not.toEqual(a);
  });

  it('repeats a class smaller than m only as much as needed to fill its block', () => {
    const batches = mPerClassSampler({ m: 4, batchSize: 8 }).epoch([1, 1, 2, 2, 2, 2], createRng(0));
    expect(batches.length).toBe(1);
    expect(new Set(batches[0]).size).toBe(6);
  });

  it('puts m rows of every class in each batch when batchSize is omitted', () => {
    const batches = mPerClassSampler({ m: 2 }).epoch(labels, createRng(3));
    for (const batch of batches) expect(new Set(Array.from(batch, (r) => labels[r])).size).toBe(sizes.length);
    expect(batches[0]?.length).toBe(2 * sizes.length);
  });

  it('gives floor(lengthBeforeNewIter / batchSize) batches when lengthBeforeNewIter is set', () => {
    const batches = mPerClassSampler({ m: 4, batchSize: 16, lengthBeforeNewIter: 200 }).epoch(labels, createRng(0));
    expect(batches.length).toBe(12);
  });

  it('rejects a batchSize that m does not divide, and too few classes', () => {
    expect(() => mPerClassSampler({ m: 4, batchSize: 18 })).toThrow(/multiple of m/);
    let error: unknown;
    try {
      mPerClassSampler({ m: 4, batchSize: 64 }).epoch(labels, createRng(0));
    } catch (e) {
      error = e;
    }
    expect(isEmbError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as Error).message).toMatch(/only 7 classes/);
  });
});
