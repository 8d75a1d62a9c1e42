import { createRng, initBackend } from '@emb/core';
import { tripletMarginLoss } from '@emb/losses';
import { type Callback, fit as train } from '@emb/train';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { hardClassSampler, refreshCentroids } from './index.js';

describe('refreshCentroids', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });

  // 6 classes of 8 rows in 4 dimensions, each class around its own random centre.
  const rng = createRng(3);
  const centres = Array.from({ length: 6 }, () => Array.from({ length: 4 }, () => rng.normal() * 3));
  const labels = Array.from({ length: 48 }, (_, i) => i % 6);
  const rows = labels.map((c) => (centres[c] as number[]).map((v) => v + rng.normal() * 0.3));

  it('refreshCentroids sets the sampler centroids to the mean embedding of each class, without leaking', () => {
    const sampler = hardClassSampler({ m: 4, batchSize: 8 });
    const x = tf.tensor2d(rows);
    const callback = refreshCentroids(sampler, { x, labels });
    const before = tf.memory().numTensors;
    // The identity network: the centroids are the class means of the inputs.
    callback.onEpochEnd({ epoch: 0, embed: (t) => tf.clone(t) as tf.Tensor2D });
    expect(tf.memory().numTensors).toBe(before);
    const mean = (c: number, k: number) => rows.filter((_, i) => labels[i] === c).reduce((s, r) => s + (r[k] as number), 0) / 8;
    const got = sampler.centroids();
    expect(got.size).toBe(6);
    expect((got.get(2) as Float64Array)[1]).toBeCloseTo(mean(2, 1), 5);
    // Checkpoint state round trip: a fresh sampler restored from it draws the same batches.
    const restored = hardClassSampler({ m: 4, batchSize: 8 });
    refreshCentroids(restored, { x, labels }).setState(callback.getState());
    const a = sampler.epoch(labels, createRng(1));
    const b = restored.epoch(labels, createRng(1));
    expect(b.map((r) => Array.from(r))).toEqual(a.map((r) => Array.from(r)));
    x.dispose();
  });

  it('refreshCentroids is a fit callback: fit trains with the sampler and refreshes its centroids each epoch', async () => {
    const x = tf.tensor2d(rows);
    const w = tf.variable(
      tf.tensor2d(
        Array.from({ length: 12 }, (_, k) => Math.sin(k + 1)),
        [4, 3],
      ),
    );
    const model = { apply: (t: tf.Tensor) => tf.matMul(t as tf.Tensor2D, w), trainableVariables: [w] };
    const sampler = hardClassSampler({ m: 4, batchSize: 8 });
    const callback: Callback = refreshCentroids(sampler, { x, labels });
    const result = await train({
      model,
      loss: tripletMarginLoss({ margin: 0.2 }),
      sampler,
      data: { kind: 'labelled', x, labels },
      epochs: 2,
      batchSize: 8,
      callbacks: [callback],
      seed: 1,
    });
    expect(result.completedEpochs).toBe(2);
    expect(result.history.stepLosses.every(Number.isFinite)).toBe(true);
    expect(sampler.centroids().size).toBe(6);
    expect((sampler.centroids().get(0) as Float64Array).length).toBe(3);
    tf.dispose([x, w]);
  });
});
