import { initBackend } from '@emb/core';
import { cosineSimilarity } from '@emb/distance';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { lossValue } from '../test/loss-value.js';
import { liftedRef, permute, randomBatch, shuffled } from '../test/pair-losses-reference.js';
import { liftedStructureLoss } from './index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe('liftedStructureLoss', () => {
  const batch = randomBatch('lifted', 10, 4, 3);

  it('equals a plain-loops float64 computation over all positive pairs', () => {
    expect(lossValue(liftedStructureLoss(), batch.embeddings, batch.labels)).toBeCloseTo(
      liftedRef(batch, { negMargin: 1, posMargin: 0, metric: 'lp' }),
      4,
    );
    const cos = liftedStructureLoss({ negMargin: 0.3, posMargin: 0.8, distance: cosineSimilarity() });
    expect(lossValue(cos, batch.embeddings, batch.labels)).toBeCloseTo(
      liftedRef(batch, { negMargin: 0.3, posMargin: 0.8, metric: 'cosine' }),
      4,
    );
  });

  it('does not depend on the order of the batch', () => {
    const loss = liftedStructureLoss({ negMargin: 1.2 });
    const shuffledBatch = permute(batch, shuffled('lifted-order', 10));
    expect(lossValue(loss, shuffledBatch.embeddings, shuffledBatch.labels)).toBeCloseTo(
      lossValue(loss, batch.embeddings, batch.labels),
      5,
    );
  });

  it('draws negatives from both ends of a positive pair', () => {
    // Pair (0, 1); the only negative pair is anchored at 1, so only it enters the log-sum-exp.
    const e = [
      [1, 0],
      [0.8, 0.6],
      [0, 1],
    ];
    const indices = { kind: 'pairs' as const, posAnchors: [0, 0], positives: [1, 1], negAnchors: [1], negatives: [2] };
    const d01 = Math.hypot(0.2, 0.6);
    const d12 = Math.hypot(0.8, 0.4);
    expect(lossValue(liftedStructureLoss(), e, null, { indices })).toBeCloseTo(Math.max(0, 1 - d12 + d01) ** 2 / 2, 5);
  });

  it('keeps gradients finite when a positive pair has no negatives', () => {
    const e = tf.tensor2d([
      [1, 0],
      [0.8, 0.6],
      [0, 1],
      [0.1, 0.9],
    ]);
    const indices = { kind: 'pairs' as const, posAnchors: [0, 2], positives: [1, 3], negAnchors: [2], negatives: [0] };
    const g = tf.grad((x: tf.Tensor) => liftedStructureLoss().compute({ embeddings: x as tf.Tensor2D, indices }))(e);
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([e, g]);
  });
});
