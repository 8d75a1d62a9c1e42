import { createRng, EmbError } from '@emb/core';
import { describeSampler } from '@emb/testkit';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { hardClassSampler, hardClassSamplerPlugin } from './index.js';

const entry = hardClassSamplerPlugin.entries[0] as (typeof hardClassSamplerPlugin.entries)[number];

// The suite every batch sampler passes (testkit's default labels: 6 classes of 4-12 rows),
// without centroids and with centroids for some of the classes.
describeSampler(entry, {
  options: { m: 4, batchSize: 16 },
  classesPerBatch: 4,
  coversEpoch: true,
  badOptions: [{ m: 0 }, { batchSize: 10 }, { centroids: { a: [1] } }],
});
describeSampler(entry, {
  options: { m: 2, batchSize: 6, centroids: { 0: [0, 0], 1: [5, 0], 2: [0.5, 0], 3: [9, 9] } },
  classesPerBatch: 3,
  coversEpoch: true,
  backends: ['cpu'],
});

/** Labels of `classes` classes with `size` rows each, interleaved. */
const labelsOf = (classes: number, size: number) => Array.from({ length: classes * size }, (_, i) => i % classes);

describe('hardClassSampler', () => {
  it('hardClassSampler puts the nearest classes together', () => {
    // Four pairs of twin classes far apart on a line: 0-1, 2-3, 4-5, 6-7.
    const position = [0, 1, 10, 11, 20, 21, 30, 31];
    const centroids = Object.fromEntries(position.map((x, c) => [String(c), [x]]));
    const labels = labelsOf(8, 4);
    const sampler = hardClassSampler({ m: 4, batchSize: 8, centroids });
    for (const seed of [1, 2, 3]) {
      const batches = sampler.epoch(labels, createRng(seed));
      expect(batches).toHaveLength(4);
      const pairs = batches.map((b) => [...new Set(Array.from(b, (i) => labels[i] as number))].sort((x, y) => x - y).join('-'));
      expect(pairs.sort()).toEqual(['0-1', '2-3', '4-5', '6-7']);
    }
  });

  it('hardClassSampler batches are tighter in centroid distance than random class groups', () => {
    const rng = createRng(9);
    const classes = 20;
    const centroids = Array.from({ length: classes }, () => [rng.normal() * 10, rng.normal() * 10]);
    const labels = labelsOf(classes, 8);
    const spread = (batches: Int32Array[]) => {
      let total = 0;
      for (const b of batches) {
        const cs = [...new Set(Array.from(b, (i) => labels[i] as number))];
        for (const a of cs)
          for (const c of cs)
            total += Math.hypot(...(centroids[a] as number[]).map((x, k) => x - (centroids[c] as number[])[k]!));
      }
      return total / batches.length;
    };
    const near = hardClassSampler({
      m: 4,
      batchSize: 16,
      centroids: Object.fromEntries(centroids.map((c, k) => [String(k), c])),
    });
    const random = hardClassSampler({ m: 4, batchSize: 16 });
    const a = spread(near.epoch(labels, createRng(1)));
    const b = spread(random.epoch(labels, createRng(1)));
    expect(a).toBeLessThan(0.6 * b);
  });

  it('hardClassSampler computes centroids from embeddings with updateCentroids', () => {
    const labels = labelsOf(4, 3);
    // Classes 0 and 2 are embedded near (0, 0), classes 1 and 3 near (10, 10).
    const rows = labels.map((c, i) => (c % 2 === 0 ? [0.1 * i, 0] : [10, 10 + 0.1 * i]));
    const sampler = hardClassSampler({ m: 3, batchSize: 6 });
    const t = tf.tensor2d(rows);
    sampler.updateCentroids(t, labels);
    t.dispose();
    const c = sampler.centroids();
    expect([...c.keys()].sort()).toEqual([0, 1, 2, 3]);
    const mean0 = labels.flatMap((l, i) => (l === 0 ? [0.1 * i] : [])).reduce((s, x) => s + x, 0) / 3;
    expect((c.get(0) as Float64Array)[0]).toBeCloseTo(mean0, 6);
    for (const seed of [1, 2]) {
      const groups = sampler
        .epoch(labels, createRng(seed))
        .map((b) => [...new Set(Array.from(b, (i) => labels[i] as number))].sort().join('-'))
        .sort();
      expect(groups).toEqual(['0-2', '1-3']);
    }
  });

  it('hardClassSampler uses every row exactly once when classes split evenly into blocks', () => {
    const labels = labelsOf(6, 8);
    const sampler = hardClassSampler({ m: 4, batchSize: 12, centroids: { 0: [0], 1: [1], 2: [2], 3: [3], 4: [4], 5: [5] } });
    const counts = new Uint8Array(labels.length);
    for (const b of sampler.epoch(labels, createRng(4))) for (const i of b) counts[i]! += 1;
    expect(Array.from(counts).every((n) => n === 1)).toBe(true);
  });

  it('hardClassSampler explains a batchSize that is not a multiple of m, too few classes and mixed centroid sizes', () => {
    expect(() => hardClassSampler({ m: 4, batchSize: 10 })).toThrow(/multiple of m.*try batchSize 12/);
    expect(() => hardClassSampler({ m: 2, batchSize: 8 }).epoch([0, 0, 1, 1], createRng(0))).toThrow(/only 2 classes/);
    expect(() => hardClassSampler({ m: 2, centroids: { 0: [1, 2], 1: [3] } })).toThrow(EmbError);
  });
});
