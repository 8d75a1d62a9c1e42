import { EmbError, initBackend } from '@emb/core';
import { closeness } from '@emb/testkit';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeLoss, makeBatch, proxyAnchorRef, randomMatrix, shuffleBatch } from '../test/matrix-losses-reference.js';
import { proxyAnchorLoss } from './index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe('proxyAnchorLoss', () => {
  // Class 3 of 4 is absent from the batch: its positive term is 0 and it is not counted.
  const batch = makeBatch('proxy-anchor', 9, 5, 3);
  const proxies = randomMatrix('proxy-anchor-proxies', 4, 5);
  const make = (o: { margin?: number; alpha?: number } = {}) => {
    const loss = proxyAnchorLoss({ numClasses: 4, embeddingSize: 5, ...o });
    tf.tidy(() => loss.variables.proxies!.assign(tf.tensor2d(proxies)));
    return loss;
  };

  it('equals a plain-loops float64 computation over all proxies', () => {
    for (const o of [
      { margin: 0.1, alpha: 32 },
      { margin: 0.2, alpha: 16 },
    ]) {
      const loss = make(o);
      expect(closeness(computeLoss(loss, batch), proxyAnchorRef(batch, proxies, o), { rtol: 1e-4 })).toBeNull();
      loss.variables.proxies!.dispose();
    }
  });

  it('does not depend on the order of the batch', () => {
    const loss = make();
    const shuffled = shuffleBatch(batch, 'proxy-anchor-order');
    expect(closeness(computeLoss(loss, shuffled), computeLoss(loss, batch), { rtol: 1e-5 })).toBeNull();
    loss.variables.proxies!.dispose();
  });

  it('starts its proxies like PML (Kaiming normal, fan_out), reproducibly from the seed', () => {
    const a = proxyAnchorLoss({ numClasses: 50, embeddingSize: 64, seed: 7 });
    const b = proxyAnchorLoss({ numClasses: 50, embeddingSize: 64, seed: 7 });
    const values = Array.from(a.variables.proxies!.dataSync());
    expect(a.variables.proxies!.shape).toEqual([50, 64]);
    expect(Array.from(b.variables.proxies!.dataSync())).toEqual(values);
    const std = Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length);
    expect(std).toBeGreaterThan(0.95 * Math.sqrt(2 / 50));
    expect(std).toBeLessThan(1.05 * Math.sqrt(2 / 50));
    tf.dispose([a.variables.proxies!, b.variables.proxies!]);
  });

  it('lowers the loss when an optimizer steps on the proxies (wasm)', () => {
    const loss = make();
    const embeddings = tf.tensor2d(batch.embeddings);
    const before = computeLoss(loss, batch);
    const optimizer = tf.train.sgd(0.05);
    optimizer.minimize(() => loss.compute({ embeddings, labels: batch.labels }), false, [loss.variables.proxies!])?.dispose();
    expect(computeLoss(loss, batch)).toBeLessThan(before);
    optimizer.dispose();
    tf.dispose([embeddings, loss.variables.proxies!]);
  });

  it('rejects a label outside [0, numClasses) with an error that quotes it', () => {
    const loss = make();
    expect(() => computeLoss(loss, { embeddings: batch.embeddings.slice(0, 2), labels: [0, 4] })).toThrow(EmbError);
    expect(() => computeLoss(loss, { embeddings: batch.embeddings.slice(0, 2), labels: [0, 4] })).toThrow(/got 4/);
    loss.variables.proxies!.dispose();
  });
});
