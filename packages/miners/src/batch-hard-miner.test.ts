import { initBackend, type TripletIndices } from '@emb/core';
import { cosineSimilarity } from '@emb/distance';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchHardMiner } from './index.js';

describe('batchHardMiner', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });

  it('picks the farthest positive and the closest negative of every anchor', () => {
    const embeddings = tf.tensor2d([
      [1, 0],
      [0.8, 0.6],
      [0, 1],
      [0.6, -0.8],
      [-1, 0],
    ]);
    const out = batchHardMiner({ distance: cosineSimilarity() }).mine({ embeddings, labels: [0, 0, 0, 1, 1] }) as TripletIndices;
    // Anchor 0: positives 1 (cos .8), 2 (cos 0) -> 2; negatives 3 (.6), 4 (-1) -> 3.
    expect(Array.from(out.anchors)).toEqual([0, 1, 2, 3, 4]);
    expect(out.positives[0]).toBe(2);
    expect(out.negatives[0]).toBe(3);
    embeddings.dispose();
  });

  it('returns a real negative even when every negative similarity is below zero', () => {
    // Older PML versions masked by multiplying with 0, which let a masked column beat negatives
    // whose cosine is < 0; 2.8.1 masks with -inf, as here.
    const embeddings = tf.tensor2d([
      [1, 0],
      [0.9, 0.1],
      [-1, 0.1],
      [-0.9, -0.2],
    ]);
    const labels = [0, 0, 1, 1];
    const out = batchHardMiner({ distance: cosineSimilarity() }).mine({ embeddings, labels }) as TripletIndices;
    out.anchors.forEach((a, i) => {
      expect(labels[out.negatives[i] as number]).not.toBe(labels[a]);
      expect(labels[out.positives[i] as number]).toBe(labels[a]);
    });
    embeddings.dispose();
  });

  it('skips anchors without a positive or a negative and reports statistics', () => {
    const embeddings = tf.tensor2d([
      [1, 0],
      [0, 1],
      [0.7, 0.7],
    ]);
    const out = batchHardMiner().mine({ embeddings, labels: [0, 0, 1] });
    expect(Array.from((out as TripletIndices).anchors)).toEqual([0, 1]);
    expect(out.stats.numTriplets).toBe(2);
    expect(out.stats.meanPositiveDistance).toBeCloseTo(Math.SQRT2, 5);
    expect(out.stats.meanNegativeDistance).toBeCloseTo(Math.sqrt(2 - Math.SQRT2), 5);
    embeddings.dispose();
  });
});
