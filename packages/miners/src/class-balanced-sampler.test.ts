import { createRng } from '@emb/core';
import { describe, expect, it } from 'vitest';
import { classBalancedSampler } from './index.js';

describe('classBalancedSampler', () => {
  // A long tail: 40, 10, 5 and 1 rows.
  const labels = [...new Array(40).fill(0), ...new Array(10).fill(1), ...new Array(5).fill(2), 3];

  it('draws every class equally often over an epoch, whatever its size', () => {
    const batches = classBalancedSampler({ batchSize: 8 }).epoch(labels, createRng(0));
    expect(batches.length).toBe(Math.ceil(labels.length / 8));
    const counts = [0, 0, 0, 0];
    for (const b of batches) for (const r of b) counts[labels[r] as number] = (counts[labels[r] as number] ?? 0) + 1;
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });

  it('uses every row of a class before repeating one', () => {
    const batches = classBalancedSampler({ batchSize: 10, numBatches: 4 }).epoch(labels, createRng(1));
    const ofClass1 = batches.flatMap((b) => Array.from(b)).filter((r) => labels[r] === 1);
    expect(ofClass1.length).toBe(10);
    expect(new Set(ofClass1).size).toBe(10);
  });

  it('gives the same batches for the same seed', () => {
    const sampler = classBalancedSampler({ batchSize: 8 });
    expect(sampler.epoch(labels, createRng(5))).toEqual(sampler.epoch(labels, createRng(5)));
  });
});
