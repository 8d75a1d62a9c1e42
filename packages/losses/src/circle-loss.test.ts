import { EmbError, initBackend } from '@emb/core';
import { lpDistance } from '@emb/distance';
import { closeness } from '@emb/testkit';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { circleRef, computeLoss, makeBatch, shuffleBatch } from '../test/matrix-losses-reference.js';
import { circleLoss, meanReducer } from './index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe('circleLoss', () => {
  const batch = makeBatch('circle', 10, 5, 3);

  it('equals a plain-loops float64 computation over all pairs', () => {
    for (const o of [
      { m: 0.4, gamma: 80 },
      { m: 0.25, gamma: 256 },
    ]) {
      const value = computeLoss(circleLoss(o), batch);
      expect(closeness(value, circleRef(batch, o), { rtol: 1e-4, label: JSON.stringify(o) })).toBeNull();
    }
  });

  it('does not depend on the order of the batch', () => {
    const loss = circleLoss();
    const shuffled = shuffleBatch(batch, 'circle-order');
    expect(closeness(computeLoss(loss, shuffled), computeLoss(loss, batch), { rtol: 1e-5 })).toBeNull();
  });

  it('treats its pair weights as constants, so the gradient is not the derivative of the value', () => {
    // With stop-gradient weights the gradient is gamma * a * (softmax weights), not the full derivative
    // that also differentiates a = relu(1 + m - s). Compare with a central finite difference.
    const loss = circleLoss({ reducer: meanReducer() });
    const e = tf.tensor2d(batch.embeddings);
    const labels = batch.labels;
    const grad = tf.grad((x: tf.Tensor) => loss.compute({ embeddings: x as tf.Tensor2D, labels }))(e);
    const g = grad.arraySync() as number[][];
    const h = 1e-2;
    const at = (delta: number) => {
      const moved = batch.embeddings.map((row, i) => row.map((v, k) => (i === 0 && k === 0 ? v + delta : v)));
      return computeLoss(loss, { embeddings: moved, labels });
    };
    const numeric = (at(h) - at(-h)) / (2 * h);
    expect(Number.isFinite(g[0]![0]!)).toBe(true);
    expect(Math.abs(numeric - g[0]![0]!)).toBeGreaterThan(1e-3 * Math.abs(numeric));
    tf.dispose([e, grad]);
  });

  it('rejects a distance that is not a cosine similarity', () => {
    expect(() => circleLoss({ distance: lpDistance() })).toThrow(EmbError);
    expect(() => circleLoss({ distance: lpDistance() })).toThrow(/cosine/);
  });
});
