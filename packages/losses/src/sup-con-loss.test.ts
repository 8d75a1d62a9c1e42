import { initBackend } from '@emb/core';
import { closeness } from '@emb/testkit';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeLoss, makeBatch, shuffleBatch, supConRef } from '../test/matrix-losses-reference.js';
import { supConLoss } from './index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe('supConLoss', () => {
  const batch = makeBatch('sup-con', 10, 5, 3);

  it('equals a plain-loops float64 computation over all pairs', () => {
    for (const temperature of [0.1, 0.07, 0.5]) {
      const value = computeLoss(supConLoss({ temperature }), batch);
      expect(closeness(value, supConRef(batch, { temperature }), { rtol: 1e-4, label: `t=${temperature}` })).toBeNull();
    }
  });

  it('does not depend on the order of the batch', () => {
    const loss = supConLoss();
    const shuffled = shuffleBatch(batch, 'sup-con-order');
    expect(closeness(computeLoss(loss, shuffled), computeLoss(loss, batch), { rtol: 1e-5 })).toBeNull();
  });

  it('is 0 with a zero, finite gradient when no two samples share a label', () => {
    const singletons = { embeddings: batch.embeddings.slice(0, 4), labels: [0, 1, 2, 3] };
    const loss = supConLoss();
    expect(computeLoss(loss, singletons)).toBe(0);
    const e = tf.tensor2d(singletons.embeddings);
    const grad = tf.grad((x: tf.Tensor) => loss.compute({ embeddings: x as tf.Tensor2D, labels: singletons.labels }))(e);
    expect(Array.from(grad.dataSync()).every((v) => v === 0)).toBe(true);
    tf.dispose([e, grad]);
  });
});
