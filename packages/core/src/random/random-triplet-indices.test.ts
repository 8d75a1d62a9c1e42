import { describe, expect, it } from 'vitest';
import { createRng, EmbError, randomTripletIndices } from '../index.js';

const labels = Int32Array.of(0, 1, 0, 2, 1, 0, 3, 1);

function rows(t: { anchors: Int32Array; positives: Int32Array; negatives: Int32Array }): [number, number, number][] {
  return Array.from(t.anchors, (a, i) => [a, t.positives[i] as number, t.negatives[i] as number]);
}

describe('randomTripletIndices', () => {
  it('replays the same triplets from the same seed', () => {
    const a = randomTripletIndices(labels, createRng(1), { tripletsPerAnchor: 4 });
    const b = randomTripletIndices(labels, createRng(1), { tripletsPerAnchor: 4 });
    expect(rows(a)).toEqual(rows(b));
    expect(rows(randomTripletIndices(labels, createRng(2), { tripletsPerAnchor: 4 }))).not.toEqual(rows(a));
  });

  it('gives each anchor with a positive and a negative exactly tripletsPerAnchor valid triplets', () => {
    const t = randomTripletIndices(labels, createRng(3), { tripletsPerAnchor: 5 });
    const perAnchor = new Map<number, number>();
    for (const [a, p, n] of rows(t)) {
      expect(p).not.toBe(a);
      expect(labels[p]).toBe(labels[a]);
      expect(labels[n]).not.toBe(labels[a]);
      perAnchor.set(a, (perAnchor.get(a) ?? 0) + 1);
    }
    // Labels 0 and 1 have three rows each; labels 2 and 3 have no positive.
    expect([...perAnchor.keys()].sort()).toEqual([0, 1, 2, 4, 5, 7]);
    for (const count of perAnchor.values()) expect(count).toBe(5);
  });

  it('defaults to as many triplets per anchor as its label has rows, anchors by ascending label', () => {
    const t = randomTripletIndices(labels, createRng(4));
    expect(Array.from(t.anchors)).toEqual([0, 0, 0, 2, 2, 2, 5, 5, 5, 1, 1, 1, 4, 4, 4, 7, 7, 7]);
  });

  it('draws positives and negatives from refLabels, where the anchor index may be its own positive', () => {
    const refLabels = Int32Array.of(1, 1, 0);
    const t = randomTripletIndices(Int32Array.of(0, 1, 2), createRng(5), { refLabels, tripletsPerAnchor: 50 });
    const pos0 = new Set<number>();
    for (const [a, p, n] of rows(t)) {
      expect(refLabels[p]).toBe([0, 1, 2][a]);
      expect(refLabels[n]).not.toBe([0, 1, 2][a]);
      if (a === 1) pos0.add(p);
    }
    expect([...pos0].sort()).toEqual([0, 1]);
    expect(Array.from(new Set(t.anchors))).toEqual([0, 1]); // label 2 has no reference row
  });

  it('draws negatives in proportion to negativeWeights and skips anchors whose weights are all 0', () => {
    const l = Int32Array.of(0, 0, 1, 1, 1);
    const t = randomTripletIndices(l, createRng(6), {
      tripletsPerAnchor: 3000,
      negativeWeights: (anchor, negatives, count, out) => {
        for (let k = 0; k < count; k++) out[k] = anchor === 0 ? (negatives[k] === 2 ? 3 : negatives[k] === 3 ? 1 : 0) : 0;
      },
    });
    expect(new Set(t.anchors)).toEqual(new Set([0]));
    let twos = 0;
    for (const n of t.negatives) {
      expect([2, 3]).toContain(n);
      if (n === 2) twos++;
    }
    expect(Math.abs(twos / t.negatives.length - 0.75)).toBeLessThan(0.03);
  });

  it('rejects a tripletsPerAnchor that is not a positive integer, quoting it', () => {
    for (const bad of [0, 1.5, -2]) {
      expect(() => randomTripletIndices(labels, createRng(0), { tripletsPerAnchor: bad })).toThrow(EmbError);
    }
    expect(() => randomTripletIndices(labels, createRng(0), { tripletsPerAnchor: 1.5 })).toThrow(/1\.5/);
  });
});
