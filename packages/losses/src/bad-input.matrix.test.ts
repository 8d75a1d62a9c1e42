import '@tensorflow/tfjs-backend-cpu';
import { createRegistry, initBackend, type Loss } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect } from 'vitest';
import { type BadInputCase, badInputMatrix } from '../../core/test/bad-input-matrix.js';
import { lossesPlugin, tripletMarginLoss } from './index.js';

// What every loss does with bad input (issue 10). Rendered into docs/bad-input/losses.md.
const D = 4;
const CLASS_LOSSES = ['proxy-anchor', 'arc-face'];
const NO_REF = ['proxy-anchor', 'arc-face', 'fast-ap', 'n-pairs'];
const ALL = lossesPlugin.entries.filter((e) => e.kind === 'loss').map((e) => e.name);
// Losses comparing labels only for equality accept any integer label.
const PAIR_BASED = ALL.filter((n) => !CLASS_LOSSES.includes(n));
const WITH_REF = ALL.filter((n) => !NO_REF.includes(n));

const registry = createRegistry();
registry.use(lossesPlugin);
const lossCache = new Map<string, Loss>();
function loss(name: string): Loss {
  let l = lossCache.get(name);
  if (!l) {
    l = registry.create('loss', name, CLASS_LOSSES.includes(name) ? { numClasses: 3, embeddingSize: D } : {}) as Loss;
    lossCache.set(name, l);
  }
  return l;
}

/** [n, dim] distinct rows, or every row equal when `coincident`. */
function rows(n: number, dim = D, coincident = false): tf.Tensor2D {
  return tf.tensor2d(
    Float32Array.from({ length: n * dim }, (_, k) => (coincident ? (k % dim) + 1 : Math.sin(k * 1.7 + 0.3))),
    [n, dim],
  );
}
const labels6 = [0, 0, 1, 1, 2, 2];

/** Computes and reads back, disposing the inputs: the scalar's value. */
function compute(name: string, input: () => Parameters<Loss['compute']>[0]): number {
  return tf.tidy(() => loss(name).compute(input()).dataSync()[0] as number);
}
const finite = (value: unknown) => expect(Number.isFinite(value as number), `loss ${String(value)}`).toBe(true);

const cases: BadInputCase[] = [
  {
    entry: 'every loss: compute',
    input: 'NaN in embeddings',
    outcome: 'NON_FINITE',
    subjects: ALL,
    quotes: /NaN at row 2, column 1/,
    run: (n) =>
      compute(n, () => ({
        embeddings: tf.tensor2d(
          rows(6)
            .arraySync()
            .map((r, i) => (i === 2 ? [r[0] as number, Number.NaN, 0, 0] : r)),
        ),
        labels: labels6,
      })),
  },
  {
    entry: 'every loss: compute',
    input: 'Infinity in embeddings',
    outcome: 'NON_FINITE',
    subjects: ALL,
    quotes: 'Infinity',
    run: (n) => compute(n, () => ({ embeddings: tf.fill([6, D], Number.POSITIVE_INFINITY) as tf.Tensor2D, labels: labels6 })),
  },
  {
    entry: 'every loss: compute',
    input: 'fewer labels than embedding rows',
    outcome: 'LABELS_LENGTH',
    subjects: ALL,
    quotes: /5 entries but there are 6 embeddings/,
    run: (n) => compute(n, () => ({ embeddings: rows(6), labels: [0, 0, 1, 1, 2] })),
  },
  {
    entry: 'every loss: compute',
    input: 'embeddings of rank 1',
    outcome: 'SHAPE_MISMATCH',
    subjects: ALL,
    quotes: '[6]',
    run: (n) => compute(n, () => ({ embeddings: tf.zeros([6]) as unknown as tf.Tensor2D, labels: labels6 })),
  },
  {
    entry: 'every loss: compute',
    input: 'int32 embeddings',
    outcome: 'DTYPE_MISMATCH',
    subjects: ALL,
    quotes: '"int32"',
    run: (n) => compute(n, () => ({ embeddings: tf.zeros([6, D], 'int32') as tf.Tensor2D, labels: labels6 })),
  },
  {
    entry: 'every loss: compute',
    input: 'embeddings as a plain array',
    outcome: 'INVALID_ARGUMENT',
    subjects: ALL,
    quotes: '[[1, 2, 3, 4]',
    run: (n) => compute(n, () => ({ embeddings: [[1, 2, 3, 4]] as unknown as tf.Tensor2D, labels: [0] })),
  },
  {
    entry: 'every loss: compute',
    input: 'an empty batch (0 rows)',
    outcome: 'EMPTY_BATCH',
    subjects: ALL,
    quotes: '[0, 4]',
    run: (n) => compute(n, () => ({ embeddings: tf.zeros([0, D]) as tf.Tensor2D, labels: [] })),
  },
  {
    entry: 'every loss: compute',
    input: 'a non-integer label (1.5)',
    outcome: 'INVALID_LABELS',
    subjects: ALL,
    quotes: 'labels[3] is 1.5',
    run: (n) => compute(n, () => ({ embeddings: rows(6), labels: [0, 0, 1, 1.5, 2, 2] })),
  },
  {
    entry: 'every loss: compute',
    input: 'string labels',
    outcome: 'INVALID_LABELS',
    subjects: ALL,
    quotes: '"cat"',
    run: (n) => compute(n, () => ({ embeddings: rows(2), labels: ['cat', 'dog'] as unknown as number[] })),
  },
  {
    entry: 'every loss: compute',
    input: 'no labels and no indices tuple',
    outcome: 'INVALID_LABELS',
    subjects: ALL,
    quotes: 'needs labels',
    run: (n) => compute(n, () => ({ embeddings: rows(6) })),
  },
  {
    entry: 'every loss: compute',
    input: 'an indices tuple pointing past the batch',
    outcome: 'INVALID_ARGUMENT',
    subjects: ALL,
    quotes: 'indices.anchors[0] is 99',
    run: (n) =>
      compute(n, () => ({
        embeddings: rows(6),
        labels: labels6,
        indices: { kind: 'triplets', anchors: [99], positives: [1], negatives: [2] },
      })),
  },
  {
    entry: 'losses with refEmbeddings: compute',
    input: 'refEmbeddings of another dimension',
    outcome: 'DIMENSION_MISMATCH',
    subjects: WITH_REF,
    quotes: /dimension 4 but refEmbeddings has 3/,
    run: (n) => compute(n, () => ({ embeddings: rows(6), labels: labels6, refEmbeddings: rows(6, 3), refLabels: labels6 })),
  },
  {
    entry: 'proxy-anchor, arc-face, fast-ap, n-pairs: compute',
    input: 'refEmbeddings (not supported)',
    outcome: 'INVALID_ARGUMENT',
    subjects: NO_REF,
    quotes: 'does not take refEmbeddings',
    run: (n) => compute(n, () => ({ embeddings: rows(6), labels: labels6, refEmbeddings: rows(6), refLabels: labels6 })),
  },
  {
    entry: 'proxy-anchor, arc-face: compute',
    input: 'a label outside [0, numClasses)',
    outcome: 'INVALID_LABELS',
    subjects: CLASS_LOSSES,
    quotes: /\[0, 3\).*got 3 at index 5/,
    run: (n) => compute(n, () => ({ embeddings: rows(6), labels: [0, 0, 1, 1, 2, 3] })),
  },
  {
    entry: 'proxy-anchor, arc-face: compute',
    input: 'a negative label',
    outcome: 'INVALID_LABELS',
    subjects: CLASS_LOSSES,
    quotes: 'got -1 at index 0',
    run: (n) => compute(n, () => ({ embeddings: rows(6), labels: [-1, 0, 1, 1, 2, 2] })),
  },
  {
    entry: 'proxy-anchor, arc-face: compute',
    input: 'embeddings of another dimension than embeddingSize',
    outcome: 'DIMENSION_MISMATCH',
    subjects: CLASS_LOSSES,
    quotes: 'embeddingSize 4',
    run: (n) => compute(n, () => ({ embeddings: rows(6, 5), labels: labels6 })),
  },
  {
    entry: 'pair and triplet losses: compute',
    input: 'negative labels',
    outcome: 'ok',
    subjects: PAIR_BASED,
    result: 'a finite loss: labels are only compared for equality, so any integers are class ids',
    run: (n) => compute(n, () => ({ embeddings: rows(6), labels: [-5, -5, -1, -1, 7, 7] })),
    check: finite,
  },
  {
    entry: 'every loss: compute',
    input: 'a single sample',
    outcome: 'ok',
    subjects: ALL,
    result: 'a finite loss (0 for pair and triplet losses: no pair exists), connected to the graph',
    run: (n) => compute(n, () => ({ embeddings: rows(1), labels: [0] })),
    check: finite,
  },
  {
    entry: 'every loss: compute',
    input: 'one class only',
    outcome: 'ok',
    subjects: ALL,
    result: 'a finite loss (no negatives: the negative terms are 0)',
    run: (n) => compute(n, () => ({ embeddings: rows(6), labels: [1, 1, 1, 1, 1, 1] })),
    check: finite,
  },
  {
    entry: 'every loss: compute',
    input: 'coincident embeddings (all rows equal)',
    outcome: 'ok',
    subjects: ALL,
    result: 'a finite loss and finite gradients (safe sqrt and normalisation at 0)',
    run: (n) =>
      tf.tidy(() => {
        const x = rows(6, D, true);
        const f = (e: tf.Tensor) => loss(n).compute({ embeddings: e as tf.Tensor2D, labels: labels6 });
        const v = f(x).dataSync()[0] as number;
        const g = tf.grad(f)(x).dataSync();
        return Number.isFinite(v) && g.every(Number.isFinite) ? v : Number.NaN;
      }),
    check: finite,
  },
  {
    entry: "registry.create('loss', name)",
    input: 'an unknown name',
    outcome: 'UNKNOWN_ENTRY',
    quotes: /"tripletMargin".*triplet-margin/,
    run: () => registry.create('loss', 'tripletMargin'),
  },
  {
    entry: 'every loss factory',
    input: 'an option of the wrong type',
    outcome: 'INVALID_OPTION',
    quotes: /"margin".*"wide"/,
    run: () => tripletMarginLoss({ margin: 'wide' as unknown as number }),
  },
  {
    entry: 'every loss factory',
    input: 'a NaN option',
    outcome: 'INVALID_OPTION',
    quotes: /"margin".*NaN/,
    run: () => tripletMarginLoss({ margin: Number.NaN }),
  },
  {
    entry: 'every loss factory',
    input: 'a misspelt option',
    outcome: 'INVALID_OPTION',
    quotes: '"margn"',
    run: () => tripletMarginLoss({ margn: 0.1 } as never),
  },
];

describe.each(['wasm'] as const)('bad input to @emb/losses on %s', (backend) => {
  beforeAll(async () => {
    await initBackend({ backend, quiet: true });
    for (const name of ALL) loss(name); // proxies and W are created once, not counted as leaks
  });
  badInputMatrix('losses', '@emb/losses', cases);
});
