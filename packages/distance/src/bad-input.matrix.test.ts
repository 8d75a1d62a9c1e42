import { createRegistry, type Distance, initBackend } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect } from 'vitest';
import { type BadInputCase, badInputMatrix } from '../../core/test/bad-input-matrix.js';
import { distancePlugin, lpDistance } from './index.js';

// What every distance does with bad input (issue 10). Rendered into docs/bad-input/distance.md.
const registry = createRegistry();
registry.use(distancePlugin);
const ALL = distancePlugin.entries.map((e) => e.name);
const distance = (name: string) => registry.create('distance', name, {}) as Distance;
const rows = (n: number, dim = 4) =>
  tf.tensor2d(
    Float32Array.from({ length: n * dim }, (_, k) => Math.cos(k)),
    [n, dim],
  );

/** Runs `f` on tensors built and disposed here; returns the matrix as nested arrays. */
const pairwise = (name: string, q: () => unknown, r?: () => unknown) =>
  tf.tidy(() => (distance(name).pairwise(q() as tf.Tensor2D, r?.() as tf.Tensor2D | undefined) as tf.Tensor2D).arraySync());

const cases: BadInputCase[] = [
  {
    entry: 'every distance: pairwise',
    input: 'query of rank 1',
    outcome: 'SHAPE_MISMATCH',
    subjects: ALL,
    quotes: '[4]',
    run: (n) => pairwise(n, () => tf.zeros([4])),
  },
  {
    entry: 'every distance: pairwise',
    input: 'query and ref of different dimensions',
    outcome: 'DIMENSION_MISMATCH',
    subjects: ALL,
    quotes: /query has dimension 4 but ref has 3/,
    run: (n) =>
      pairwise(
        n,
        () => rows(2),
        () => rows(2, 3),
      ),
  },
  {
    entry: 'every distance: pairwise',
    input: 'a plain array instead of a tensor',
    outcome: 'SHAPE_MISMATCH',
    subjects: ALL,
    quotes: '[[1, 2]]',
    run: (n) => pairwise(n, () => [[1, 2]]),
  },
  {
    entry: 'every distance: pairwise',
    input: 'int32 query',
    outcome: 'DTYPE_MISMATCH',
    subjects: ALL,
    quotes: '"int32"',
    run: (n) => pairwise(n, () => tf.zeros([2, 4], 'int32')),
  },
  {
    entry: 'every distance: paired',
    input: 'different numbers of rows',
    outcome: 'SHAPE_MISMATCH',
    subjects: ALL,
    quotes: /got 2 and 3/,
    run: (n) => tf.tidy(() => distance(n).paired(rows(2), rows(3)).arraySync()),
  },
  {
    entry: 'every distance: pairwise',
    input: 'an empty query (0 rows)',
    outcome: 'ok',
    subjects: ALL,
    result: 'an empty [0, R] matrix',
    run: (n) =>
      pairwise(
        n,
        () => tf.zeros([0, 4]),
        () => rows(3),
      ),
    check: (v) => expect(v).toEqual([]),
  },
  {
    entry: 'every distance: pairwise',
    input: 'NaN in query',
    outcome: 'ok',
    subjects: ALL,
    result:
      'NaN in the affected rows: distances are graph operations and read nothing back; losses, miners and the index reject non-finite embeddings (NON_FINITE) at their boundary',
    run: (n) =>
      pairwise(
        n,
        () => tf.tensor2d([[Number.NaN, 1]]),
        () => tf.tensor2d([[0, 1]]),
      ),
    check: (v) => expect(Number.isNaN((v as number[][])[0]?.[0])).toBe(true),
  },
  {
    entry: 'lp, cosine, dot-product: pairwise',
    input: 'all-zero rows (normalising divides by 0)',
    outcome: 'ok',
    subjects: ALL.filter((n) => n !== 'snr'),
    result: 'finite values: normalisation and sqrt are safe at 0',
    run: (n) => pairwise(n, () => tf.zeros([2, 4])),
    check: (v) => expect((v as number[][]).flat().every(Number.isFinite)).toBe(true),
  },
  {
    entry: 'snrDistance: pairwise',
    input: 'a constant query row (zero variance)',
    outcome: 'ok',
    result:
      'NaN or Infinity for that row, as in PML: the signal-to-noise ratio var(y - x) / var(x) is undefined when var(x) = 0; do not use snr on constant embeddings',
    run: () =>
      pairwise(
        'snr',
        () => tf.tensor2d([[2, 2, 2, 2]]),
        () => rows(1),
      ),
    check: (v) => expect(Number.isFinite((v as number[][])[0]?.[0])).toBe(false),
  },
  {
    entry: 'lpDistance',
    input: 'p below 1',
    outcome: 'INVALID_OPTION',
    quotes: /"p".*0.5/,
    run: () => lpDistance({ p: 0.5 }),
  },
  {
    entry: "registry.create('distance', name)",
    input: 'an unknown name',
    outcome: 'UNKNOWN_ENTRY',
    quotes: /"euclidean".*lp/,
    run: () => registry.create('distance', 'euclidean'),
  },
];

describe('bad input to @emb/distance on wasm', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });
  badInputMatrix('distance', '@emb/distance', cases);
});
