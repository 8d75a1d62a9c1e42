import { describe, expect, it } from 'vitest';
import { pca2d } from './pca-2d.js';

describe('pca2d', () => {
  it('pca2d finds the direction of largest variance first and reports its share', () => {
    // Points spread along (1, 1, 0) with a little spread along (0, 0, 1).
    const rows: number[][] = [];
    for (let i = -10; i <= 10; i++) rows.push([i, i, (i % 3) * 0.1]);
    const { points, explained } = pca2d(Float32Array.from(rows.flat()), rows.length, 3);
    expect(explained[0]).toBeGreaterThan(0.99);
    expect(explained[0] + explained[1]).toBeLessThanOrEqual(1 + 1e-9);
    // The first coordinate is the signed distance along (1, 1, 0) / sqrt(2).
    const first = Array.from({ length: rows.length }, (_, i) => points[2 * i] as number);
    expect(Math.abs(first[20] as number)).toBeCloseTo(10 * Math.SQRT2, 2);
    expect(first[10]).toBeCloseTo(0, 1);
  });

  it('pca2d gives zeros, not NaN, for identical points', () => {
    const { points, explained } = pca2d(new Float32Array(12).fill(3), 4, 3);
    expect(Array.from(points).every((x) => x === 0)).toBe(true);
    expect(explained).toEqual([0, 0]);
  });
});
