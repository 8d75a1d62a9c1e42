import '@tensorflow/tfjs-backend-cpu';
import { initBackend, isEmbError, registry } from '@emb/core';
import { contrastiveLoss, lossesPlugin, tripletMarginLoss } from '@emb/losses';
import { minersPlugin, mPerClassSampler, tripletMarginMiner } from '@emb/miners';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticClasses, tinyModel } from '../test/synthetic.js';
import { evaluate } from './evaluate.js';
import { fit } from './fit.js';

const TRAIN = [0, 1, 2, 3, 4, 5, 6, 7];
const HELD_OUT = [10, 11, 12, 13, 14];

describe.each(['wasm', 'cpu'] as const)('fit on %s', (backend) => {
  beforeAll(async () => {
    await initBackend({ backend, quiet: true });
    if (!registry.has('loss', 'triplet-margin')) registry.use(lossesPlugin);
    if (!registry.has('miner', 'triplet-margin')) registry.use(minersPlugin);
  });

  it('fit improves held-out retrieval on classes it never saw (labelled data, semi-hard triplets, m-per-class batches)', async () => {
    const train = syntheticClasses(TRAIN, 40, 1);
    const test = syntheticClasses(HELD_OUT, 30, 2);
    const model = tinyModel(3);
    const evaluator = evaluate({ query: test.x, queryLabels: test.labels, atStart: true });
    const result = await fit({
      model,
      data: { kind: 'labelled', x: train.x, labels: train.labels },
      loss: tripletMarginLoss({ margin: 0.2 }),
      miner: tripletMarginMiner({ margin: 0.2, typeOfTriplets: 'semihard' }),
      sampler: mPerClassSampler({ m: 8, batchSize: 48 }),
      optimizer: { name: 'adam', options: { learningRate: 1e-2 } },
      epochs: 6,
      seed: 11,
      callbacks: [evaluator],
    });
    const before = evaluator.results[0]?.metrics.meanAveragePrecisionAtR as number;
    const after = evaluator.results.at(-1)?.metrics.meanAveragePrecisionAtR as number;
    expect(result.completedEpochs).toBe(6);
    expect(result.stopReason).toBe('completed');
    expect(result.history.epochs).toHaveLength(6);
    expect(result.history.epochs.at(-1)?.metrics.meanAveragePrecisionAtR).toBe(after);
    expect(result.history.epochs[0]?.miner?.numTriplets).toBeGreaterThan(0);
    expect(after).toBeGreaterThan(before + 0.3);
    expect(evaluator.results.at(-1)?.metrics.precisionAt1).toBeGreaterThan(0.7);
    model.dispose();
    tf.dispose([train.x, test.x]);
  });

  it('fit replays a run exactly from its seed and differs with another seed', async () => {
    const train = syntheticClasses(TRAIN, 20, 4);
    const run = async (seed: number) => {
      const model = tinyModel(5);
      const r = await fit({
        model,
        data: { kind: 'labelled', x: train.x, labels: train.labels },
        loss: { name: 'triplet-margin', options: { margin: 0.1 } },
        miner: { name: 'random-triplets', options: { tripletsPerAnchor: 2 } },
        batchSize: 24,
        epochs: 2,
        seed,
      });
      model.dispose();
      return r.history.stepLosses;
    };
    const a = await run(1);
    const b = await run(1);
    const c = await run(2);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    train.x.dispose();
  });

  it('fit keeps the number of tensors flat over many steps (every step runs in tf.tidy)', async () => {
    const train = syntheticClasses(TRAIN, 16, 6);
    const model = tinyModel(7);
    const counts: number[] = [];
    const before = tf.memory().numTensors;
    await fit({
      model,
      data: { kind: 'labelled', x: train.x, labels: train.labels },
      loss: contrastiveLoss(),
      miner: tripletMarginMiner({ typeOfTriplets: 'semihard' }),
      sampler: mPerClassSampler({ m: 4, batchSize: 24 }),
      epochs: 8,
      seed: 3,
      callbacks: [{ name: 'count', onBatchEnd: () => void counts.push(tf.memory().numTensors) }],
    });
    expect(counts.length).toBeGreaterThan(20);
    // After the first step the optimizer's slots exist; nothing else may accumulate.
    expect(new Set(counts.slice(1)).size).toBe(1);
    // fit disposes the optimizer it created.
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    train.x.dispose();
  });
});

describe('fit options', () => {
  beforeAll(async () => {
    await initBackend({ quiet: true });
    if (!registry.has('loss', 'triplet-margin')) registry.use(lossesPlugin);
    if (!registry.has('miner', 'triplet-margin')) registry.use(minersPlugin);
  });

  it('fit creates loss, miner, sampler and optimizer from registry specs and passes batchSize to the sampler', async () => {
    const train = syntheticClasses(TRAIN, 12, 8);
    const model = tinyModel(9);
    const rows: number[] = [];
    const result = await fit({
      model,
      data: { kind: 'labelled', x: train.x, labels: train.labels },
      loss: 'triplet-margin',
      miner: { name: 'triplet-margin', options: { typeOfTriplets: 'semihard' } },
      sampler: { name: 'm-per-class', options: { m: 4 } },
      optimizer: { name: 'sgd', options: { learningRate: 0.05, momentum: 0.9 } },
      batchSize: 12,
      epochs: 1,
      seed: 1,
      callbacks: [{ name: 'rows', onBatchEnd: (_c, l) => void rows.push(l.rows) }],
    });
    expect(result.loss.name).toBe('triplet-margin');
    expect(new Set(rows)).toEqual(new Set([12]));
    model.dispose();
    train.x.dispose();
  });

  it('fit rejects bad options with typed errors that quote the value', async () => {
    const train = syntheticClasses(TRAIN, 4, 8);
    const model = tinyModel(9);
    const base = {
      model,
      data: { kind: 'labelled', x: train.x, labels: train.labels },
      loss: tripletMarginLoss(),
      epochs: 1,
      seed: 1,
    } as const;
    const codeOf = async (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e) => (isEmbError(e) ? `${e.code}: ${e.message}` : String(e)),
      );
    expect(await codeOf(fit({ ...base, epochs: 1.5 }))).toMatch(/^INVALID_OPTION: .*'epochs'.*1\.5/);
    expect(await codeOf(fit({ ...base, optimizer: { name: 'adamw' } as never }))).toMatch(/^INVALID_OPTION: .*"adamw"/);
    expect(await codeOf(fit({ ...base, loss: 'no-such-loss' }))).toMatch(/^UNKNOWN_ENTRY/);
    expect(
      await codeOf(
        fit({
          ...base,
          data: { kind: 'triplets', x: train.x, anchors: [0], positives: [1], negatives: [2] },
          miner: tripletMarginMiner(),
        }),
      ),
    ).toMatch(/^INVALID_OPTION: .*miner needs class labels/);
    expect(
      await codeOf(fit({ ...base, data: { kind: 'triplets', x: train.x, anchors: [0], positives: [1], negatives: [99] } })),
    ).toMatch(/^INVALID_OPTION: .*negatives\[0\] = 99/);
    expect(await codeOf(fit({ ...base, resumeFrom: 'some/dir' }))).toMatch(/^INVALID_OPTION: .*checkpoint/);
    model.dispose();
    train.x.dispose();
  });

  it('fit stops after the current step when the signal aborts, and a callback can stop it', async () => {
    const train = syntheticClasses(TRAIN, 12, 8);
    const model = tinyModel(9);
    const controller = new AbortController();
    const aborted = await fit({
      model,
      data: { kind: 'labelled', x: train.x, labels: train.labels },
      loss: tripletMarginLoss(),
      batchSize: 8,
      epochs: 3,
      seed: 1,
      signal: controller.signal,
      callbacks: [{ name: 'abort', onBatchEnd: (_c, l) => (l.step === 4 ? controller.abort() : undefined) }],
    });
    expect(aborted.stopReason).toBe('aborted');
    expect(aborted.steps).toBe(4);
    expect(aborted.completedEpochs).toBe(0);
    const stopped = await fit({
      model,
      data: { kind: 'labelled', x: train.x, labels: train.labels },
      loss: tripletMarginLoss(),
      batchSize: 8,
      epochs: 5,
      seed: 1,
      callbacks: [{ name: 'stop', onEpochEnd: (ctx, l) => (l.epoch === 1 ? ctx.stop('enough') : undefined) }],
    });
    expect(stopped).toMatchObject({ stopReason: 'stopped', stopMessage: 'enough', completedEpochs: 2 });
    model.dispose();
    train.x.dispose();
  });
});
