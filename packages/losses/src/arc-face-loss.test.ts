import { EmbError, initBackend } from '@emb/core';
import { closeness } from '@emb/testkit';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { arcFaceRef, computeLoss, makeBatch, randomMatrix, shuffleBatch } from '../test/matrix-losses-reference.js';
import { arcFaceLoss } from './index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe('arcFaceLoss', () => {
  const batch = makeBatch('arc-face', 10, 5, 3);
  const W = randomMatrix('arc-face-W', 5, 3);
  const make = (o: { margin?: number; scale?: number } = {}) => {
    const loss = arcFaceLoss({ numClasses: 3, embeddingSize: 5, ...o });
    tf.tidy(() => loss.variables.W!.assign(tf.tensor2d(W)));
    return loss;
  };

  it('equals a plain-loops float64 computation, on both sides of the 180-degree fallback', () => {
    // margin 100 degrees sends every target angle above 80 degrees to cos(theta) - m sin(m).
    for (const o of [
      { margin: 28.6, scale: 64 },
      { margin: 100, scale: 16 },
    ]) {
      const loss = make(o);
      expect(closeness(computeLoss(loss, batch), arcFaceRef(batch, W, o), { rtol: 1e-4, label: JSON.stringify(o) })).toBeNull();
      loss.variables.W!.dispose();
    }
  });

  it('does not depend on the order of the batch', () => {
    const loss = make();
    const shuffled = shuffleBatch(batch, 'arc-face-order');
    expect(closeness(computeLoss(loss, shuffled), computeLoss(loss, batch), { rtol: 1e-5 })).toBeNull();
    loss.variables.W!.dispose();
  });

  it('keeps W in PML layout [embeddingSize, numClasses] and gives it a finite gradient on wasm', () => {
    const loss = make();
    expect(loss.variables.W!.shape).toEqual([5, 3]);
    const embeddings = tf.tensor2d(batch.embeddings);
    const { value, grads } = tf.variableGrads(() => loss.compute({ embeddings, labels: batch.labels }), [loss.variables.W!]);
    const g = grads[loss.variables.W!.name]!;
    expect(g.shape).toEqual([5, 3]);
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    expect(Array.from(g.dataSync()).some((v) => v !== 0)).toBe(true);
    tf.dispose([embeddings, value, g, loss.variables.W!]);
  });

  it('needs labels, even with an indices tuple', () => {
    const loss = make();
    const indices = { kind: 'triplets' as const, anchors: [0], positives: [1], negatives: [2] };
    expect(() => tf.tidy(() => loss.compute({ embeddings: tf.tensor2d(batch.embeddings), indices }))).toThrow(EmbError);
    loss.variables.W!.dispose();
  });
});
