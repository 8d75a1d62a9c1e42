import { createRng, EmbError, initBackend, type RegistryEntry } from '@emb/core';
import { lpDistance } from '@emb/distance';
import { closeness, describeLoss } from '@emb/testkit';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cosFaceLoss, cosFacePlugin } from './index.js';

// The suite every loss passes. CosFace is a classifier loss: a miner's tuple only re-weights
// elements (never empties the loss) and there is no reference set, as for ArcFace.
describeLoss(cosFacePlugin.entries[0] as RegistryEntry<'loss', never>, {
  options: { numClasses: 3, embeddingSize: 6 },
  ignoresIndices: true,
  noRefEmbeddings: true,
  gradientTolerance: 5e-2,
});

type Matrix = number[][];

/** PML's CosFaceLoss written as plain float64 loops: the reference the tensor code must equal. */
function cosFaceByLoops(embeddings: Matrix, labels: number[], W: Matrix, margin: number, scale: number): number {
  const numClasses = (W[0] as number[]).length;
  const norm = (x: number[]) => Math.sqrt(x.reduce((s, a) => s + a * a, 0));
  let total = 0;
  embeddings.forEach((e, i) => {
    const logits: number[] = [];
    for (let c = 0; c < numClasses; c++) {
      const column = W.map((row) => row[c] as number);
      const cosine = e.reduce((s, a, k) => s + a * (column[k] as number), 0) / (norm(e) * norm(column));
      logits.push(scale * (c === labels[i] ? cosine - margin : cosine));
    }
    const max = Math.max(...logits);
    const lse = max + Math.log(logits.reduce((s, l) => s + Math.exp(l - max), 0));
    total += lse - (logits[labels[i] as number] as number);
  });
  return total / embeddings.length;
}

function randomMatrix(seed: number, rows: number, cols: number): Matrix {
  const rng = createRng(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal()));
}

describe('cosFaceLoss', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });

  const make = (o: { numClasses: number; embeddingSize: number; margin?: number; scale?: number }, W: Matrix) => {
    const loss = cosFaceLoss(o);
    tf.tidy(() => loss.variables.W?.assign(tf.tensor2d(W)));
    return loss;
  };
  const value = (loss: ReturnType<typeof cosFaceLoss>, embeddings: Matrix, labels: number[]) =>
    tf.tidy(() => loss.compute({ embeddings: tf.tensor2d(embeddings), labels }).dataSync()[0] as number);

  it('cosFaceLoss equals a plain-loops float64 computation of PML CosFaceLoss', () => {
    const embeddings = randomMatrix(1, 10, 5);
    const labels = [0, 1, 2, 3, 0, 1, 2, 3, 0, 1];
    const W = randomMatrix(2, 5, 4);
    for (const o of [{}, { margin: 0.35, scale: 64 }, { margin: 0.1, scale: 8 }, { margin: 0.6, scale: 30 }]) {
      const margin = (o as { margin?: number }).margin ?? 0.35;
      const scale = (o as { scale?: number }).scale ?? 64;
      const loss = make({ numClasses: 4, embeddingSize: 5, ...o }, W);
      const expected = cosFaceByLoops(embeddings, labels, W, margin, scale);
      expect(closeness(value(loss, embeddings, labels), expected, { rtol: 1e-4, label: JSON.stringify(o) })).toBeNull();
      loss.variables.W?.dispose();
    }
  });

  it('cosFaceLoss re-weights batch elements by how often a miner tuple uses them (PML convert_to_weights)', () => {
    const embeddings = randomMatrix(6, 4, 3);
    const labels = [0, 1, 0, 1];
    const W = randomMatrix(7, 3, 2);
    const loss = make({ numClasses: 2, embeddingSize: 3, scale: 16 }, W);
    // Elements 0, 1 and 2 appear once, element 3 never: weights [1, 1, 1, 0], mean over all 4.
    const indices = { kind: 'triplets' as const, anchors: [0], positives: [2], negatives: [1] };
    const mined = tf.tidy(() => loss.compute({ embeddings: tf.tensor2d(embeddings), labels, indices }).dataSync()[0] as number);
    const each = embeddings.map((e, i) => cosFaceByLoops([e], [labels[i] as number], W, 0.35, 16));
    const expected = ((each[0] as number) + (each[1] as number) + (each[2] as number)) / 4;
    expect(closeness(mined, expected, { rtol: 1e-4 })).toBeNull();
    loss.variables.W?.dispose();
  });

  it('cosFaceLoss gives the values worked out by hand on orthogonal class weights', () => {
    // W = identity: class 0 points along x, class 1 along y.
    const I = [
      [1, 0],
      [0, 1],
    ];
    // e = (1, 1)/sqrt(2), label 1: both cosines are a = 1/sqrt(2); with scale 1 the logits are
    // (a, a - m), so loss = log(e^a + e^(a-m)) - (a - m) = m + log(1 + e^-m).
    const m = 0.35;
    const small = make({ numClasses: 2, embeddingSize: 2, margin: m, scale: 1 }, I);
    expect(Math.abs(value(small, [[1, 1]], [1]) - (m + Math.log(1 + Math.exp(-m))))).toBeLessThan(1e-6);
    expect(Math.abs(m + Math.log(1 + Math.exp(-m)) - 0.883383)).toBeLessThan(1e-6);
    small.variables.W?.dispose();
    // Defaults m = 0.35, s = 64. e = (1, 0), label 0: logits (64 * 0.65, 0), loss = log(1 + e^-41.6) ~ 8.6e-19.
    // e = (0, 1), label 0: logits (-64 * 0.35, 64), loss = log(e^-22.4 + e^64) + 22.4 = 86.4 + log(1 + e^-86.4).
    const big = make({ numClasses: 2, embeddingSize: 2 }, I);
    expect(Math.abs(value(big, [[1, 0]], [0]))).toBeLessThan(1e-6);
    expect(Math.abs(value(big, [[0, 1]], [0]) - 86.4)).toBeLessThan(1e-4);
    // The mean over the batch (PML's MeanReducer): (0 + 86.4) / 2.
    expect(
      Math.abs(
        value(
          big,
          [
            [1, 0],
            [0, 1],
          ],
          [0, 0],
        ) - 43.2,
      ),
    ).toBeLessThan(1e-4);
    big.variables.W?.dispose();
  });

  it('cosFaceLoss with margin 0 is the plain normalised softmax (NormFace) loss', () => {
    const embeddings = randomMatrix(3, 6, 4);
    const labels = [0, 1, 2, 0, 1, 2];
    const W = randomMatrix(4, 4, 3);
    const loss = make({ numClasses: 3, embeddingSize: 4, margin: 0, scale: 10 }, W);
    expect(closeness(value(loss, embeddings, labels), cosFaceByLoops(embeddings, labels, W, 0, 10), { rtol: 1e-4 })).toBeNull();
    loss.variables.W?.dispose();
  });

  it('cosFaceLoss keeps W in PML layout [embeddingSize, numClasses] and gives it a finite gradient on wasm', () => {
    const loss = cosFaceLoss({ numClasses: 3, embeddingSize: 5 });
    const W = loss.variables.W as tf.Variable;
    expect(W.shape).toEqual([5, 3]);
    const embeddings = tf.tensor2d(randomMatrix(5, 8, 5));
    const { value: v, grads } = tf.variableGrads(() => loss.compute({ embeddings, labels: [0, 1, 2, 0, 1, 2, 0, 1] }), [W]);
    const g = grads[W.name] as tf.Tensor;
    expect(g.shape).toEqual([5, 3]);
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    expect(Array.from(g.dataSync()).some((x) => x !== 0)).toBe(true);
    tf.dispose([embeddings, v, g, W]);
  });

  it('cosFaceLoss draws the same initial W for the same seed', () => {
    const a = cosFaceLoss({ numClasses: 3, embeddingSize: 4, seed: 7 });
    const b = cosFaceLoss({ numClasses: 3, embeddingSize: 4, seed: 7 });
    expect(Array.from(a.variables.W?.dataSync() ?? [])).toEqual(Array.from(b.variables.W?.dataSync() ?? []));
    tf.dispose([a.variables.W as tf.Variable, b.variables.W as tf.Variable]);
  });

  it('cosFaceLoss refuses a non-cosine distance, labels out of range and a wrong dimension with clear errors', () => {
    expect(() => cosFaceLoss({ numClasses: 3, embeddingSize: 4, distance: lpDistance() })).toThrow(/cosine/);
    const loss = cosFaceLoss({ numClasses: 3, embeddingSize: 4 });
    expect(() => tf.tidy(() => loss.compute({ embeddings: tf.ones([2, 4]), labels: [0, 3] }))).toThrow(EmbError);
    expect(() => tf.tidy(() => loss.compute({ embeddings: tf.ones([2, 5]), labels: [0, 1] }))).toThrow(/embeddingSize 4/);
    loss.variables.W?.dispose();
  });
});
