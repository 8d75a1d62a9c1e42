import { EmbError, initBackend } from '@emb/core';
import { lpDistance } from '@emb/distance';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { lossValue } from '../test/loss-value.js';
import { ntxentRef, permute, randomBatch, shuffled } from '../test/pair-losses-reference.js';
import { ntxentLoss } from './index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe('ntxentLoss', () => {
  const batch = randomBatch('ntxent', 10, 4, 3);

  it('equals a plain-loops float64 computation over all positive pairs', () => {
    expect(lossValue(ntxentLoss(), batch.embeddings, batch.labels)).toBeCloseTo(
      ntxentRef(batch, { temperature: 0.07, metric: 'cosine' }),
      4,
    );
    expect(lossValue(ntxentLoss({ temperature: 0.5, distance: lpDistance() }), batch.embeddings, batch.labels)).toBeCloseTo(
      ntxentRef(batch, { temperature: 0.5, metric: 'lp' }),
      4,
    );
  });

  it('does not depend on the order of the batch', () => {
    const loss = ntxentLoss({ temperature: 0.2 });
    const shuffledBatch = permute(batch, shuffled('ntxent-order', 10));
    expect(lossValue(loss, shuffledBatch.embeddings, shuffledBatch.labels)).toBeCloseTo(
      lossValue(loss, batch.embeddings, batch.labels),
      5,
    );
  });

  it('stays finite with a tiny temperature (no overflow, no NaN gradient)', () => {
    const loss = ntxentLoss({ temperature: 1e-3 });
    const e = tf.tensor2d(batch.embeddings);
    const g = tf.grad((x: tf.Tensor) => loss.compute({ embeddings: x as tf.Tensor2D, labels: batch.labels }))(e);
    const value = loss.compute({ embeddings: e, labels: batch.labels });
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([e, g, value]);
  });

  it('gives 0 to a positive pair whose anchor has no negatives', () => {
    const indices = { kind: 'pairs' as const, posAnchors: [0, 1], positives: [1, 0], negAnchors: [0], negatives: [2] };
    const e = [
      [1, 0],
      [0.8, 0.6],
      [0, 1],
    ];
    const terms = tf.tidy(() =>
      Array.from(
        ntxentLoss()
          .terms({ embeddings: tf.tensor2d(e), indices })
          .loss!.losses.dataSync(),
      ),
    );
    expect(terms[0]).toBeGreaterThan(0);
    expect(terms[1]).toBe(0);
  });

  it('rejects a temperature that is not positive', () => {
    expect(() => ntxentLoss({ temperature: 0 })).toThrow(EmbError);
  });
});
