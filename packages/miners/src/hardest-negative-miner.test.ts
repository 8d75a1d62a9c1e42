import { initBackend, type MinerOutput, type TripletIndices } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { hardestNegativeMiner } from './index.js';

describe('hardestNegativeMiner', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });

  it("pairs every positive pair with its anchor's closest negative", () => {
    const embeddings = tf.tensor2d([
      [1, 0],
      [0.9, 0.3],
      [0.5, 0.8],
      [0.95, -0.2],
      [-1, 0],
    ]);
    const out = hardestNegativeMiner().mine({ embeddings, labels: [0, 0, 0, 1, 1] }) as MinerOutput & TripletIndices;
    // Anchor 0: positives 1, 2; closest negative 3.
    expect(Array.from(out.anchors.subarray(0, 2))).toEqual([0, 0]);
    expect(Array.from(out.positives.subarray(0, 2))).toEqual([1, 2]);
    expect(Array.from(out.negatives.subarray(0, 2))).toEqual([3, 3]);
    expect(out.stats.numTriplets).toBe(3 * 2 + 2 * 1);
    embeddings.dispose();
  });
});
