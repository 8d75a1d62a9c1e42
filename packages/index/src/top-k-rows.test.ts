import { createRng } from '@emb/core';
import { describe, expect, it } from 'vitest';
import { TopKRows } from './top-k-rows.js';

function bruteForce(scores: number[], k: number): number[] {
  return scores
    .map((s, i) => [s, i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .slice(0, k)
    .map(([, i]) => i);
}

describe('TopKRows', () => {
  it.each([
    ['distinct scores', 1000],
    ['heavy ties (duplicate vectors)', 3],
  ] as const)('TopKRows keeps the k best by score then index with %s', (_name, levels) => {
    const rng = createRng(levels);
    for (const k of [1, 5, 37]) {
      const n = 600;
      const scores = Array.from({ length: n }, () => Math.fround(rng.int(levels) / 7));
      const top = new TopKRows(2, k);
      // Row 0 in index order, row 1 in a shuffled order: the answer must not depend on it.
      for (let i = 0; i < n; i++) top.push(0, scores[i]!, i);
      for (const i of rng.shuffle(Array.from({ length: n }, (_, i) => i))) top.push(1, scores[i]!, i);
      const out = new Int32Array(2 * k);
      top.writeSorted(out, new Float32Array(2 * k), 0);
      const expected = bruteForce(scores, k);
      expect(Array.from(out.subarray(0, k))).toEqual(expected);
      expect(Array.from(out.subarray(k))).toEqual(expected);
    }
  });

  it('TopKRows pads rows with fewer than k candidates and never accepts NaN', () => {
    const top = new TopKRows(1, 3);
    top.push(0, 1, 4);
    top.push(0, Number.NaN, 5);
    const out = new Int32Array(3);
    const scores = new Float32Array(3);
    top.writeSorted(out, scores, 0);
    expect(Array.from(out)).toEqual([4, -1, -1]);
    expect(Number.isNaN(scores[1])).toBe(true);
  });
});
