import { createRegistry, createRng, initBackend, type Miner, type MinerOutput, type Sampler } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect } from 'vitest';
import { type BadInputCase, badInputMatrix } from '../../core/test/bad-input-matrix.js';
import { minersPlugin, mPerClassSampler, tripletMarginMiner } from './index.js';

// What every miner and sampler does with bad input (issue 10). Rendered into docs/bad-input/miners.md.
const D = 4;
const registry = createRegistry();
registry.use(minersPlugin);
const MINERS = minersPlugin.entries.filter((e) => e.kind === 'miner').map((e) => e.name);
const SAMPLERS = ['m-per-class', 'class-balanced'];
const miner = (name: string) => registry.create('miner', name, {}) as Miner;
const sampler = (name: string, options: Record<string, unknown> = {}) =>
  registry.create(
    'sampler',
    name,
    name === 'm-per-class' ? { m: 2, batchSize: 4, ...options } : { batchSize: 4, ...options },
  ) as Sampler;

function rows(n: number, dim = D, coincident = false): tf.Tensor2D {
  return tf.tensor2d(
    Float32Array.from({ length: n * dim }, (_, k) => (coincident ? (k % dim) + 1 : Math.sin(k * 1.7 + 0.3))),
    [n, dim],
  );
}
const labels6 = [0, 0, 1, 1, 2, 2];

/** Mines with inputs built and disposed here; returns the tuple (plain typed arrays). */
function mine(name: string, input: () => Parameters<Miner['mine']>[0]): MinerOutput {
  // The tuple holds typed arrays only: nothing for tidy to keep.
  return tf.tidy(() => miner(name).mine(input()) as never) as MinerOutput;
}
/** Every index of the tuple is a row of the batch (`n` rows). */
function validTuple(n: number) {
  return (value: unknown) => {
    const t = value as MinerOutput;
    const fields =
      t.kind === 'triplets' ? [t.anchors, t.positives, t.negatives] : [t.posAnchors, t.positives, t.negAnchors, t.negatives];
    for (const f of fields) for (const i of f) expect(i >= 0 && i < n).toBe(true);
  };
}

const cases: BadInputCase[] = [
  {
    entry: 'every miner: mine',
    input: 'NaN in embeddings',
    outcome: 'NON_FINITE',
    subjects: MINERS,
    quotes: 'NaN at row 1, column 2',
    run: (n) =>
      mine(n, () => ({
        embeddings: tf.tensor2d([
          [0, 0, 0, 0],
          [1, 1, Number.NaN, 1],
        ]),
        labels: [0, 1],
      })),
  },
  {
    entry: 'every miner: mine',
    input: '-Infinity in embeddings',
    outcome: 'NON_FINITE',
    subjects: MINERS,
    quotes: '-Infinity',
    run: (n) => mine(n, () => ({ embeddings: tf.fill([6, D], Number.NEGATIVE_INFINITY) as tf.Tensor2D, labels: labels6 })),
  },
  {
    entry: 'every miner: mine',
    input: 'more labels than embedding rows',
    outcome: 'LABELS_LENGTH',
    subjects: MINERS,
    quotes: /7 entries but there are 6 embeddings/,
    run: (n) => mine(n, () => ({ embeddings: rows(6), labels: [...labels6, 3] })),
  },
  {
    entry: 'every miner: mine',
    input: 'embeddings of rank 3',
    outcome: 'SHAPE_MISMATCH',
    subjects: MINERS,
    quotes: '[2, 3, 4]',
    run: (n) => mine(n, () => ({ embeddings: tf.zeros([2, 3, 4]) as unknown as tf.Tensor2D, labels: [0, 1] })),
  },
  {
    entry: 'every miner: mine',
    input: 'int32 embeddings',
    outcome: 'DTYPE_MISMATCH',
    subjects: MINERS,
    quotes: '"int32"',
    run: (n) => mine(n, () => ({ embeddings: tf.zeros([6, D], 'int32') as tf.Tensor2D, labels: labels6 })),
  },
  {
    entry: 'every miner: mine',
    input: 'an empty batch (0 rows)',
    outcome: 'EMPTY_BATCH',
    subjects: MINERS,
    quotes: '[0, 4]',
    run: (n) => mine(n, () => ({ embeddings: tf.zeros([0, D]) as tf.Tensor2D, labels: [] })),
  },
  {
    entry: 'every miner: mine',
    input: 'a non-integer label (0.5)',
    outcome: 'INVALID_LABELS',
    subjects: MINERS,
    quotes: 'labels[0] is 0.5',
    run: (n) => mine(n, () => ({ embeddings: rows(6), labels: [0.5, 0, 1, 1, 2, 2] })),
  },
  {
    entry: 'every miner: mine',
    input: 'no labels',
    outcome: 'INVALID_LABELS',
    subjects: MINERS,
    quotes: 'undefined',
    run: (n) => mine(n, () => ({ embeddings: rows(6) }) as never),
  },
  {
    entry: 'every miner: mine',
    input: 'refEmbeddings of another dimension',
    outcome: 'DIMENSION_MISMATCH',
    subjects: MINERS,
    quotes: /dimension 4 but refEmbeddings has 2/,
    run: (n) => mine(n, () => ({ embeddings: rows(6), labels: labels6, refEmbeddings: rows(6, 2), refLabels: labels6 })),
  },
  {
    entry: 'every miner: mine',
    input: 'refEmbeddings without refLabels',
    outcome: 'INVALID_ARGUMENT',
    subjects: MINERS,
    quotes: 'needs refLabels',
    run: (n) => mine(n, () => ({ embeddings: rows(6), labels: labels6, refEmbeddings: rows(6) })),
  },
  {
    entry: 'every miner: mine',
    input: 'a single sample',
    outcome: 'ok',
    subjects: MINERS,
    result: 'an empty tuple (no pair exists); losses given it return 0',
    run: (n) => mine(n, () => ({ embeddings: rows(1), labels: [0] })),
    check: (v) => {
      const t = v as MinerOutput;
      expect(t.kind === 'triplets' ? t.anchors.length : t.posAnchors.length + t.negAnchors.length).toBe(0);
    },
  },
  {
    entry: 'every miner: mine',
    input: 'one class only',
    outcome: 'ok',
    subjects: MINERS,
    result: 'no triplets and no negative pairs (positive pairs only, for pair miners)',
    run: (n) => mine(n, () => ({ embeddings: rows(6), labels: [3, 3, 3, 3, 3, 3] })),
    check: (v) => {
      const t = v as MinerOutput;
      expect(t.kind === 'triplets' ? t.anchors.length : t.negAnchors.length).toBe(0);
    },
  },
  {
    entry: 'every miner: mine',
    input: 'negative labels',
    outcome: 'ok',
    subjects: MINERS,
    result: 'a valid tuple: labels are only compared for equality',
    run: (n) => mine(n, () => ({ embeddings: rows(6), labels: [-3, -3, -1, -1, 9, 9] })),
    check: validTuple(6),
  },
  {
    entry: 'every miner: mine',
    input: 'coincident embeddings (all rows equal)',
    outcome: 'ok',
    subjects: MINERS,
    result: 'a valid tuple with in-range indices (ties broken deterministically), never NaN statistics from the distances',
    run: (n) => mine(n, () => ({ embeddings: rows(6, D, true), labels: labels6 })),
    check: validTuple(6),
  },
  {
    entry: "registry.create('miner', name)",
    input: 'an unknown name',
    outcome: 'UNKNOWN_ENTRY',
    quotes: /"semihard".*triplet-margin/,
    run: () => registry.create('miner', 'semihard'),
  },
  {
    entry: 'tripletMarginMiner',
    input: 'an unknown typeOfTriplets',
    outcome: 'INVALID_OPTION',
    quotes: '"semi-hard"',
    run: () => tripletMarginMiner({ typeOfTriplets: 'semi-hard' as never }),
  },
  {
    entry: 'both samplers: epoch',
    input: 'a non-integer label',
    outcome: 'INVALID_LABELS',
    subjects: SAMPLERS,
    quotes: 'labels[1] is 2.5',
    run: (n) => sampler(n).epoch([1, 2.5, 3, 3], createRng(0)),
  },
  {
    entry: 'both samplers: epoch',
    input: 'labels that are not an array',
    outcome: 'INVALID_LABELS',
    subjects: SAMPLERS,
    quotes: '"0,1,1"',
    run: (n) => sampler(n).epoch('0,1,1' as never, createRng(0)),
  },
  {
    entry: 'both samplers: epoch',
    input: 'no rows (empty labels)',
    outcome: 'ok',
    subjects: SAMPLERS,
    result: 'no batches',
    run: (n) => sampler(n).epoch([], createRng(0)),
    check: (v) => expect(v).toEqual([]),
  },
  {
    entry: 'mPerClassSampler: epoch',
    input: 'fewer classes than batchSize / m',
    outcome: 'INVALID_ARGUMENT',
    quotes: /needs 2 classes of 2, but the labels have only 1 classes. Lower batchSize to at most 2/,
    run: () => sampler('m-per-class').epoch([7, 7, 7, 7, 7, 7], createRng(0)),
  },
  {
    entry: 'classBalancedSampler: epoch',
    input: 'one class only',
    outcome: 'ok',
    result: 'batches of that one class (nothing to balance)',
    run: () => sampler('class-balanced').epoch([7, 7, 7, 7, 7, 7], createRng(0)),
    check: (v) => expect((v as Int32Array[]).length).toBe(2),
  },
  {
    entry: 'mPerClassSampler',
    input: 'batchSize not a multiple of m',
    outcome: 'INVALID_OPTION',
    quotes: /batchSize 10 must be a multiple of m 4; try batchSize 12/,
    run: () => mPerClassSampler({ m: 4, batchSize: 10 }),
  },
  {
    entry: 'both samplers',
    input: 'batchSize 0',
    outcome: 'INVALID_OPTION',
    subjects: SAMPLERS,
    quotes: /"batchSize".*got 0/,
    run: (n) => sampler(n, { batchSize: 0 }),
  },
];

describe('bad input to @emb/miners on wasm', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });
  badInputMatrix('miners', '@emb/miners (miners and samplers)', cases);
});
