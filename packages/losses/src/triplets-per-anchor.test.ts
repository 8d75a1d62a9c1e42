import { createRegistry, createRng, EmbError, initBackend, type Loss, randomTripletIndices } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { lossesPlugin, marginLoss, meanReducer, sumReducer, thresholdReducer, tripletMarginLoss } from './index.js';

function randomBatch(seed: number, n: number, d: number, classes: number) {
  const rng = createRng(seed);
  return {
    rows: Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal())),
    labels: Int32Array.from({ length: n }, () => rng.int(classes)),
  };
}

function value(loss: Loss, input: Parameters<Loss['compute']>[0]): number {
  return tf.tidy(() => loss.compute(input).dataSync()[0] as number);
}

/** The triplet indices of a loss's un-reduced terms (and disposes the terms). */
function drawnTriplets(loss: Loss, input: Parameters<Loss['terms']>[0], name: string) {
  const terms = loss.terms(input);
  const term = terms[name];
  if (!term) throw new Error(`no term ${name}`);
  for (const t of Object.values(terms)) t.losses.dispose();
  const [anchors, positives, negatives] = (term.indices ?? [
    new Int32Array(0),
    new Int32Array(0),
    new Int32Array(0),
  ]) as Int32Array[];
  return { kind: 'triplets' as const, anchors: anchors!, positives: positives!, negatives: negatives! };
}

describe.each(['wasm', 'cpu'] as const)('tripletsPerAnchor as a number on %s', (backend) => {
  beforeAll(async () => {
    if (backend === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
    await initBackend({ backend, quiet: true });
  });

  it('tripletMarginLoss and marginLoss replay the same sequence of losses from the same seed', () => {
    const { rows, labels } = randomBatch(1, 20, 5, 4);
    const embeddings = tf.tensor2d(rows);
    for (const make of [
      (seed: number) => tripletMarginLoss({ tripletsPerAnchor: 2, margin: 0.5, seed }),
      (seed: number) => marginLoss({ tripletsPerAnchor: 2, seed }),
    ]) {
      const a = make(7);
      const b = make(7);
      const seqA = [0, 1, 2].map(() => value(a, { embeddings, labels }));
      const seqB = [0, 1, 2].map(() => value(b, { embeddings, labels }));
      expect(seqA).toEqual(seqB);
      // Each call draws fresh triplets from the loss's stream.
      expect(new Set(seqA).size).toBe(3);
      const other = [0, 1, 2].map(() => value(make(8), { embeddings, labels }));
      expect(other).not.toEqual(seqA);
    }
    embeddings.dispose();
  });

  it('draws only valid triplets: the positive shares the label and is not the anchor, the negative does not', () => {
    const { rows, labels } = randomBatch(2, 24, 4, 5);
    const embeddings = tf.tensor2d(rows);
    const ref = randomBatch(3, 10, 4, 5);
    const refEmbeddings = tf.tensor2d(ref.rows);
    const loss = tripletMarginLoss({ tripletsPerAnchor: 3, seed: 1 });
    for (let call = 0; call < 5; call++) {
      const t = drawnTriplets(loss, { embeddings, labels }, 'loss');
      expect(t.anchors.length).toBeGreaterThan(0);
      for (let i = 0; i < t.anchors.length; i++) {
        const [a, p, n] = [t.anchors[i] as number, t.positives[i] as number, t.negatives[i] as number];
        expect(p).not.toBe(a);
        expect(labels[p]).toBe(labels[a]);
        expect(labels[n]).not.toBe(labels[a]);
      }
      const r = drawnTriplets(loss, { embeddings, labels, refEmbeddings, refLabels: ref.labels }, 'loss');
      for (let i = 0; i < r.anchors.length; i++) {
        const a = r.anchors[i] as number;
        expect(ref.labels[r.positives[i] as number]).toBe(labels[a]);
        expect(ref.labels[r.negatives[i] as number]).not.toBe(labels[a]);
      }
    }
    embeddings.dispose();
    refEmbeddings.dispose();
  });

  it('gives every anchor that has a positive and a negative exactly tripletsPerAnchor triplets, call after call', () => {
    const loss = marginLoss({ tripletsPerAnchor: 4, seed: 'count' });
    for (let seed = 0; seed < 8; seed++) {
      const { rows, labels } = randomBatch(10 + seed, 18, 3, 6);
      const embeddings = tf.tensor2d(rows);
      const t = drawnTriplets(loss, { embeddings, labels }, 'margin_loss');
      const perAnchor = new Int32Array(labels.length);
      for (const a of t.anchors) perAnchor[a] = (perAnchor[a] as number) + 1;
      for (let a = 0; a < labels.length; a++) {
        const hasPos = labels.some((l, j) => j !== a && l === labels[a]);
        const hasNeg = labels.some((l) => l !== labels[a]);
        expect(perAnchor[a]).toBe(hasPos && hasNeg ? 4 : 0);
      }
      embeddings.dispose();
    }
  });

  it.each([
    ['avg-non-zero (fast list path)', {}],
    ['mean (fast list path)', { reducer: meanReducer() }],
    ['sum (fast list path)', { reducer: sumReducer() }],
    ['threshold (terms + reducer)', { reducer: thresholdReducer({ low: 0.1 }) }],
    ['swap (terms + reducer)', { swap: true }],
    ['smoothLoss (terms + reducer)', { smoothLoss: true }],
  ] as const)('tripletMarginLoss equals the explicit-indices path on the drawn triplets: %s', (_, extra) => {
    const { rows, labels } = randomBatch(4, 20, 5, 4);
    const x = tf.tensor2d(rows);
    const sampled = tripletMarginLoss({ tripletsPerAnchor: 3, margin: 0.4, seed: 5, ...extra });
    const explicit = tripletMarginLoss({ margin: 0.4, ...extra });
    // The loss's first call draws from a fresh createRng(seed), as this does.
    const indices = randomTripletIndices(labels, createRng(5), { tripletsPerAnchor: 3 });
    const g1 = tf.grad((e: tf.Tensor) => sampled.compute({ embeddings: e as tf.Tensor2D, labels }))(x);
    const g2 = tf.grad((e: tf.Tensor) => explicit.compute({ embeddings: e as tf.Tensor2D, labels, indices }))(x);
    expect(Array.from(g1.dataSync())).toEqual(Array.from(g2.dataSync()));
    const again = tripletMarginLoss({ tripletsPerAnchor: 3, margin: 0.4, seed: 5, ...extra });
    expect(value(again, { embeddings: x, labels })).toBe(value(explicit, { embeddings: x, labels, indices }));
    tf.dispose([x, g1, g2]);
  });

  it.each([
    ['one fixed beta', {}],
    ['a learnt beta', { learnBeta: true, nu: 0.1 }],
    ['per-class learnt betas', { learnBeta: true, nu: 0.1, numClasses: 4 }],
  ] as const)('marginLoss equals the explicit-indices path on the drawn triplets with %s', (_, extra) => {
    const { rows, labels } = randomBatch(5, 20, 5, 4);
    const embeddings = tf.tensor2d(rows);
    const refEmbeddings = tf.tensor2d(randomBatch(6, 9, 5, 4).rows);
    const refLabels = randomBatch(6, 9, 5, 4).labels;
    for (const withRef of [false, true]) {
      const sampled = marginLoss({ tripletsPerAnchor: 2, seed: 'm', ...extra });
      const explicit = marginLoss({ ...extra });
      const input = withRef ? { embeddings, labels, refEmbeddings, refLabels } : { embeddings, labels };
      const indices = randomTripletIndices(labels, createRng('m'), {
        tripletsPerAnchor: 2,
        refLabels: withRef ? refLabels : null,
      });
      expect(value(sampled, input)).toBe(value(explicit, { ...input, indices }));
      for (const l of [sampled, explicit]) for (const v of Object.values(l.variables)) v.dispose();
    }
    tf.dispose([embeddings, refEmbeddings]);
  });

  it('trains: the learnt beta and the embeddings get gradients, and no tensor leaks across calls', () => {
    const { rows, labels } = randomBatch(7, 16, 4, 3);
    const x = tf.tensor2d(rows);
    const loss = marginLoss({ tripletsPerAnchor: 2, learnBeta: true, nu: 0.01, seed: 3 });
    const triplet = tripletMarginLoss({ tripletsPerAnchor: 2, margin: 1, seed: 3 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) {
      const { value: v, grads } = tf.variableGrads(() => loss.compute({ embeddings: x, labels }), [loss.variables.beta!]);
      expect(Number.isFinite(v.dataSync()[0])).toBe(true);
      // variableGrads keys gradients by the variable's (generated) name.
      const betaGrad = Object.values(grads)[0] as tf.Tensor;
      expect(Number.isFinite(betaGrad.dataSync()[0])).toBe(true);
      tf.dispose([v, betaGrad]);
      const g = tf.grad((e: tf.Tensor) => triplet.compute({ embeddings: e as tf.Tensor2D, labels }))(x);
      expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
      g.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    loss.variables.beta!.dispose();
    x.dispose();
  });

  it('gives a zero loss connected to the graph when no anchor has both a positive and a negative', () => {
    const x = tf.tensor2d([
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    const loss = tripletMarginLoss({ tripletsPerAnchor: 5 });
    const g = tf.grad((e: tf.Tensor) => loss.compute({ embeddings: e as tf.Tensor2D, labels: [0, 1, 2] }))(x);
    expect(Array.from(g.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    expect(value(loss, { embeddings: x, labels: [0, 1, 2] })).toBe(0);
    tf.dispose([x, g]);
  });
});

describe('the tripletsPerAnchor option schema', () => {
  const registry = createRegistry();
  registry.use(lossesPlugin);

  it.each(['triplet-margin', 'margin'])("of '%s' accepts 'all' and positive integers", (name) => {
    for (const tripletsPerAnchor of ['all', 1, 7]) {
      const loss = registry.create('loss', name, { tripletsPerAnchor, seed: 3 }) as Loss;
      expect(loss.options.tripletsPerAnchor).toBe(tripletsPerAnchor);
      expect(loss.options.seed).toBe(3);
    }
    expect((registry.create('loss', name, {}) as Loss).options.tripletsPerAnchor).toBe('all');
  });

  it.each(['triplet-margin', 'margin'])("of '%s' rejects 0, 1.5, -3 and 'some', quoting the value", (name) => {
    for (const bad of [0, 1.5, -3, 'some', null]) {
      let error: unknown;
      try {
        registry.create('loss', name, { tripletsPerAnchor: bad });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(EmbError);
      expect((error as EmbError).code).toBe('INVALID_OPTION');
      const message = (error as EmbError).message;
      expect(message).toContain('"tripletsPerAnchor"');
      expect(message).toContain("must be 'all' or a positive integer");
      expect(message).toContain(`(got ${JSON.stringify(bad)})`);
    }
  });
});
