import { initBackend, type MinerStats } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeMinerStats, createMinerStatsAccumulator, formatMinerStats, pairMarginMiner } from './index.js';

describe('miner statistics', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });

  it('computeMinerStats averages the matrix over the mined pairs', () => {
    const matrix = Float32Array.from([0, 1, 2, 1, 0, 4, 2, 4, 0]);
    const stats = computeMinerStats(
      {
        kind: 'pairs',
        posAnchors: Int32Array.from([0]),
        positives: Int32Array.from([1]),
        negAnchors: Int32Array.from([0, 1]),
        negatives: Int32Array.from([2, 2]),
      },
      matrix,
      3,
    );
    expect(stats).toEqual({
      numPositivePairs: 1,
      numNegativePairs: 2,
      numTriplets: 0,
      meanPositiveDistance: 1,
      meanNegativeDistance: 3,
    });
  });

  it('reports NaN means for an empty tuple', () => {
    const empty = new Int32Array(0);
    const stats = computeMinerStats(
      { kind: 'triplets', anchors: empty, positives: empty, negatives: empty },
      new Float32Array(1),
      1,
    );
    expect(stats.numTriplets).toBe(0);
    expect(stats.meanPositiveDistance).toBeNaN();
    expect(formatMinerStats(stats)).toBe('triplets=0 pos=n/a neg=n/a');
  });

  it('every miner reports the statistics of what it mined', () => {
    const embeddings = tf.tensor2d([
      [1, 0],
      [0, 1],
      [1, 1],
      [-1, 0],
    ]);
    const out = pairMarginMiner({ posMargin: 0, negMargin: 2.1 }).mine({ embeddings, labels: [0, 0, 1, 1] });
    expect(out.stats.numPositivePairs).toBe(4);
    expect(out.stats.numNegativePairs).toBe(8);
    expect(out.stats.meanPositiveDistance).toBeGreaterThan(0);
    embeddings.dispose();
  });

  it('createMinerStatsAccumulator sums counts and weights means by them', () => {
    const acc = createMinerStatsAccumulator();
    const s = (n: number, pos: number, neg: number): MinerStats => ({
      numPositivePairs: 0,
      numNegativePairs: 0,
      numTriplets: n,
      meanPositiveDistance: pos,
      meanNegativeDistance: neg,
    });
    acc.add(s(1, 1, 2));
    acc.add(s(3, 2, 4));
    acc.add(s(0, Number.NaN, Number.NaN));
    expect(acc.summary()).toEqual({
      calls: 3,
      numPositivePairs: 0,
      numNegativePairs: 0,
      numTriplets: 4,
      meanPositiveDistance: 1.75,
      meanNegativeDistance: 3.5,
    });
    acc.reset();
    expect(acc.summary().calls).toBe(0);
  });
});
