import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry, initBackend } from '@emb/core';
import { lossesPlugin } from '@emb/losses';
import { minersPlugin } from '@emb/miners';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { type BadInputCase, badInputMatrix } from '../../core/test/bad-input-matrix.js';
import { INPUT_DIM, tinyModel } from '../test/synthetic.js';
import { type FitOptions, type FitResult, fit } from './index.js';
import { CHECKPOINT_FILE, checkpoint, loadCheckpoint } from './node.js';

// What fit and the checkpoint loader do with bad input (issue 10). Rendered into docs/bad-input/train.md.
const registry = createRegistry();
registry.use(lossesPlugin);
registry.use(minersPlugin);
const dir = mkdtempSync(join(tmpdir(), 'emb-train-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const labels12 = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2];
const x = (n: number, fill?: number) =>
  fill === undefined
    ? tf.tensor2d(
        Float32Array.from({ length: n * INPUT_DIM }, (_, k) => Math.sin(k * 0.37)),
        [n, INPUT_DIM],
      )
    : tf.fill([n, INPUT_DIM], fill);

/** Runs fit on a fresh tiny model and data made by `data`, disposing both afterwards. */
async function run(
  options: Partial<FitOptions> & { x?: tf.Tensor; labels?: unknown },
  make?: (xs: tf.Tensor) => FitOptions['data'],
): Promise<FitResult> {
  // In a tidy: the helper's initial values are freed, its variables kept.
  const model = tf.tidy(() => tinyModel(1) as never) as ReturnType<typeof tinyModel>;
  const xs = options.x ?? x(12);
  try {
    const { x: _x, labels, ...rest } = options;
    const r = await fit({
      model,
      loss: 'triplet-margin',
      epochs: 1,
      seed: 1,
      batchSize: 6,
      registry,
      data: make ? make(xs) : ({ kind: 'labelled', x: xs, labels: (labels ?? labels12) as number[] } as FitOptions['data']),
      ...rest,
    });
    for (const v of Object.values(r.loss.variables)) v.dispose();
    return r;
  } finally {
    model.dispose();
    xs.dispose();
  }
}
const trained = (steps: number) => (value: unknown) => {
  const r = value as FitResult;
  expect(r.steps).toBe(steps);
  expect(r.history.stepLosses.every(Number.isFinite)).toBe(true);
};

const cases: BadInputCase[] = [
  {
    entry: 'fit',
    input: 'epochs -1',
    outcome: 'INVALID_OPTION',
    quotes: /'epochs' must be an integer >= 0, got -1/,
    run: () => run({ epochs: -1 }),
  },
  {
    entry: 'fit',
    input: 'batchSize 2.5',
    outcome: 'INVALID_OPTION',
    quotes: /'batchSize'.*got 2.5/,
    run: () => run({ batchSize: 2.5 }),
  },
  {
    entry: 'fit',
    input: 'a NaN seed',
    outcome: 'INVALID_OPTION',
    quotes: /'seed'.*got NaN/,
    run: () => run({ seed: Number.NaN }),
  },
  {
    entry: 'fit',
    input: 'a model that is not a model',
    outcome: 'INVALID_OPTION',
    quotes: /'model'.*got "net.json"/,
    run: () => {
      const xs = x(12);
      return fit({
        model: 'net.json' as never,
        loss: 'triplet-margin',
        epochs: 1,
        seed: 1,
        registry,
        data: { kind: 'labelled', x: xs, labels: labels12 },
      }).finally(() => xs.dispose());
    },
  },
  {
    entry: 'fit',
    input: 'fewer labels than rows of data.x',
    outcome: 'LABELS_LENGTH',
    quotes: /data.labels has 11 entries but there are 12/,
    run: () => run({ labels: labels12.slice(1) }),
  },
  {
    entry: 'fit',
    input: 'a non-integer label',
    outcome: 'INVALID_LABELS',
    quotes: 'data.labels[2] is 0.5',
    run: () => run({ labels: [0, 0, 0.5, ...labels12.slice(3)] }),
  },
  {
    entry: 'fit',
    input: 'data.x of rank 1',
    outcome: 'SHAPE_MISMATCH',
    quotes: 'got shape [12]',
    run: () => run({ x: tf.zeros([12]) }),
  },
  {
    entry: 'fit',
    input: 'NaN in data.x',
    outcome: 'NON_FINITE',
    quotes: 'NaN',
    run: () => run({ x: x(12, Number.NaN) }),
  },
  {
    entry: 'fit',
    input: 'an empty dataset (0 rows)',
    outcome: 'EMPTY_BATCH',
    quotes: /data.x has 0 rows/,
    run: () => run({ x: tf.zeros([0, INPUT_DIM]), labels: [] }),
  },
  {
    entry: 'fit',
    input: 'a single sample',
    outcome: 'ok',
    result: 'trains: each step has loss 0 (no pair), the weights are unchanged',
    run: () => run({ x: x(1), labels: [0] }),
    check: trained(1),
  },
  {
    entry: 'fit',
    input: 'one class only',
    outcome: 'ok',
    result: 'trains with loss 0 for triplet losses (no negatives); use a loss with positive terms (contrastive) or more classes',
    run: () => run({ labels: labels12.map(() => 3) }),
    check: trained(2),
  },
  {
    entry: 'fit',
    input: "one class only with sampler 'm-per-class'",
    outcome: 'INVALID_ARGUMENT',
    quotes: /needs 2 classes of 3, but the labels have only 1 classes/,
    run: () => run({ labels: labels12.map(() => 3), sampler: { name: 'm-per-class', options: { m: 3 } } }),
  },
  {
    entry: 'fit',
    input: 'an unknown loss name',
    outcome: 'UNKNOWN_ENTRY',
    quotes: /"triplet".*triplet-margin/,
    run: () => run({ loss: 'triplet' }),
  },
  {
    entry: 'fit',
    input: 'an unknown miner name',
    outcome: 'UNKNOWN_ENTRY',
    quotes: /"semihard".*batch-hard/,
    run: () => run({ miner: 'semihard' }),
  },
  {
    entry: 'fit',
    input: 'a bad loss option',
    outcome: 'INVALID_OPTION',
    quotes: /"margin".*"big"/,
    run: () => run({ loss: { name: 'triplet-margin', options: { margin: 'big' } } }),
  },
  {
    entry: 'fit',
    input: 'a model output that does not match the loss (proxy-anchor embeddingSize)',
    outcome: 'DIMENSION_MISMATCH',
    quotes: /embeddingSize 16, got embeddings of dimension 8/,
    run: () => run({ loss: { name: 'proxy-anchor', options: { numClasses: 3, embeddingSize: 16 } } }),
  },
  {
    entry: 'fit',
    input: 'triplets data pointing past data.x',
    outcome: 'INVALID_OPTION',
    quotes: /data.anchors\[0\] = 40 is not a row of data.x \(which has 12 rows\)/,
    run: () => run({}, (xs) => ({ kind: 'triplets', x: xs, anchors: [40], positives: [1], negatives: [2] })),
  },
  {
    entry: 'fit',
    input: "a miner with comparisons-only data (kind 'pairs')",
    outcome: 'INVALID_OPTION',
    quotes: /data.kind is "pairs"/,
    run: () => run({ loss: 'contrastive', miner: 'batch-hard' }, (xs) => ({ kind: 'pairs', x: xs, a: [0], b: [1], same: [1] })),
  },
  {
    entry: 'fit',
    input: 'an unknown data.kind',
    outcome: 'INVALID_OPTION',
    quotes: '"classes"',
    run: () => run({}, (xs) => ({ kind: 'classes', x: xs }) as never),
  },
  {
    entry: 'fit',
    input: 'resumeFrom a directory without a checkpoint',
    outcome: 'NOT_FOUND',
    quotes: /No checkpoint at "no-such-run"/,
    run: () => run({ resumeFrom: 'no-such-run', callbacks: [checkpoint({ dir: 'no-such-run' })] }),
  },
  {
    entry: 'loadCheckpoint',
    input: 'a damaged checkpoint file',
    outcome: 'CORRUPT_FILE',
    quotes: /checksum mismatch.*Resume from another checkpoint/,
    run: async () => {
      const d = join(dir, 'damaged');
      await run({ callbacks: [checkpoint({ dir: d })] });
      const path = join(d, CHECKPOINT_FILE);
      const { readFileSync } = await import('node:fs');
      const bytes = readFileSync(path);
      bytes[100] = (bytes[100] as number) ^ 0x10;
      writeFileSync(path, bytes);
      return loadCheckpoint(path).catch((e: Error) => {
        // The path is machine-specific: keep the docs' example stable.
        // The checksums change with the checkpoint's time stamp.
        throw Object.assign(e, {
          message: e.message.replaceAll(d, '<run>').replace(/stored \w+, computed \w+/, 'stored <crc>, computed <crc>'),
        });
      });
    },
  },
  {
    entry: 'loadCheckpoint',
    input: 'a file that is not a checkpoint',
    outcome: 'CORRUPT_FILE',
    quotes: /wrong magic bytes "\{\\"datase"/,
    run: () => {
      const path = join(dir, 'emb.config.json');
      writeFileSync(path, JSON.stringify({ dataset: { name: 'mnist-digits' } }));
      return loadCheckpoint(path).catch((e: Error) => {
        throw Object.assign(e, { message: e.message.replaceAll(path, '<run>/emb.config.json') });
      });
    },
  },
];

describe('bad input to @emb/train on wasm', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });
  badInputMatrix('train', '@emb/train (fit and checkpoints)', cases);
});
