import { EmbError, initBackend } from '@emb/core';
import { cosineSimilarity } from '@emb/distance';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { lossValue } from '../test/loss-value.js';
import { marginRef, permute, randomBatch, shuffled } from '../test/pair-losses-reference.js';
import { allTriplets, marginLoss, meanReducer, sumReducer } from './index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe('marginLoss', () => {
  const batch = randomBatch('margin', 10, 4, 3);
  const labels = Int32Array.from(batch.labels);
  const explicit = allTriplets(labels, labels, true);

  it('equals a plain-loops float64 computation over all triplets', () => {
    expect(lossValue(marginLoss(), batch.embeddings, batch.labels)).toBeCloseTo(
      marginRef(batch, { margin: 0.2, betas: [1.2], nu: 0, learnBeta: false, metric: 'lp' }),
      4,
    );
    const cos = marginLoss({ margin: 0.1, beta: 0.3, distance: cosineSimilarity() });
    expect(lossValue(cos, batch.embeddings, batch.labels)).toBeCloseTo(
      marginRef(batch, { margin: 0.1, betas: [0.3], nu: 0, learnBeta: false, metric: 'cosine' }),
      4,
    );
  });

  it('adds nu * beta for a learnt beta, and per-class betas chosen by the anchor label', () => {
    const one = marginLoss({ learnBeta: true, nu: 0.1, beta: 1.1 });
    expect(lossValue(one, batch.embeddings, batch.labels)).toBeCloseTo(
      marginRef(batch, { margin: 0.2, betas: [1.1], nu: 0.1, learnBeta: true, metric: 'lp' }),
      4,
    );
    const perClass = marginLoss({ learnBeta: true, nu: 0.05, numClasses: 3 });
    perClass.variables.beta!.assign(tf.tensor1d([1.0, 1.3, 0.9]));
    expect(lossValue(perClass, batch.embeddings, batch.labels)).toBeCloseTo(
      marginRef(batch, { margin: 0.2, betas: [1.0, 1.3, 0.9], nu: 0.05, learnBeta: true, metric: 'lp' }),
      4,
    );
    tf.dispose([one.variables.beta!, perClass.variables.beta!]);
  });

  it('does not depend on the order of the batch', () => {
    const loss = marginLoss({ beta: 1.0 });
    const shuffledBatch = permute(batch, shuffled('margin-order', 10));
    expect(lossValue(loss, shuffledBatch.embeddings, shuffledBatch.labels)).toBeCloseTo(
      lossValue(loss, batch.embeddings, batch.labels),
      5,
    );
  });

  it('gives the same value from labels (dense path) as from the explicit list of every triplet', () => {
    for (const reducer of [undefined, meanReducer(), sumReducer()]) {
      const loss = marginLoss({ learnBeta: true, nu: 0.05, numClasses: 3, ...(reducer && { reducer }) });
      loss.variables.beta!.assign(tf.tensor1d([1.0, 1.3, 0.9]));
      const dense = lossValue(loss, batch.embeddings, batch.labels);
      const listed = lossValue(loss, batch.embeddings, batch.labels, { indices: explicit });
      expect(dense).toBeCloseTo(listed, 4);
      loss.variables.beta!.dispose();
    }
  });

  it('exposes a learnable beta whose gradient matches finite differences', () => {
    const loss = marginLoss({ learnBeta: true, nu: 0.05, numClasses: 3 });
    const beta = loss.variables.beta!;
    expect(beta.shape).toEqual([3]);
    const betas = [1.0, 1.3, 0.9];
    beta.assign(tf.tensor1d(betas));
    const e = tf.tensor2d(batch.embeddings);
    const { value, grads } = tf.variableGrads(() => loss.compute({ embeddings: e, labels: batch.labels }), [beta]);
    const g = Array.from(grads[beta.name]!.dataSync());
    const h = 1e-4;
    const ref = (bs: number[]) => marginRef(batch, { margin: 0.2, betas: bs, nu: 0.05, learnBeta: true, metric: 'lp' });
    betas.forEach((_, c) => {
      const up = betas.map((b, i) => (i === c ? b + h : b));
      const down = betas.map((b, i) => (i === c ? b - h : b));
      expect(g[c]).toBeCloseTo((ref(up) - ref(down)) / (2 * h), 3);
    });
    tf.dispose([e, value, ...Object.values(grads), beta]);
    const single = marginLoss({ learnBeta: true }).variables.beta!;
    expect(single.shape).toEqual([1]);
    single.dispose();
    expect(marginLoss().variables.beta).toBeUndefined();
  });

  it('keeps a learnt beta in the graph when the batch has no triplets', () => {
    const loss = marginLoss({ learnBeta: true });
    const beta = loss.variables.beta!;
    const e = tf.tensor2d(batch.embeddings);
    const { value, grads } = tf.variableGrads(() => loss.compute({ embeddings: e, labels: new Array(10).fill(0) }), [beta]);
    expect(value.dataSync()[0]).toBe(0);
    expect(grads[beta.name]!.dataSync()[0]).toBe(0);
    tf.dispose([e, value, ...Object.values(grads), beta]);
  });

  it('keeps per-class betas in the graph when every hinge is already 0', () => {
    const loss = marginLoss({ learnBeta: true, numClasses: 3, margin: -10 });
    const beta = loss.variables.beta!;
    const e = tf.tensor2d(batch.embeddings);
    for (const indices of [undefined, explicit]) {
      const { value, grads } = tf.variableGrads(
        () => loss.compute({ embeddings: e, labels: batch.labels, ...(indices && { indices }) }),
        [beta],
      );
      expect(value.dataSync()[0]).toBe(0);
      expect(Array.from(grads[beta.name]!.dataSync())).toEqual([0, 0, 0]);
      tf.dispose([value, ...Object.values(grads)]);
    }
    tf.dispose([e, beta]);
  });

  it('rejects a label outside [0, numClasses) when betas are per class', () => {
    const loss = marginLoss({ learnBeta: true, numClasses: 2 });
    expect(() => lossValue(loss, batch.embeddings, batch.labels)).toThrow(EmbError);
    expect(() => lossValue(loss, batch.embeddings, batch.labels)).toThrow(/numClasses/);
    loss.variables.beta!.dispose();
  });
});
