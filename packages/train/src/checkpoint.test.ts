import '@tensorflow/tfjs-backend-cpu';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, isEmbError, registry } from '@emb/core';
import { contrastiveLoss, lossesPlugin, marginLoss, tripletMarginLoss } from '@emb/losses';
import { minersPlugin, mPerClassSampler, tripletMarginMiner } from '@emb/miners';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticClasses, tinyModel } from '../test/synthetic.js';
import type { Callback } from './callback.js';
import { cosineLr, crossBatchMemory, earlyStopping, type FitOptions, fit, warmup } from './index.js';
import { CHECKPOINT_FILE, checkpoint, loadCheckpoint } from './node.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'emb-train-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const train = () => syntheticClasses([0, 1, 2, 3, 4, 5], 16, 21);

describe.each(['wasm', 'cpu'] as const)('checkpoints on %s', (backend) => {
  beforeAll(async () => {
    await initBackend({ backend, quiet: true });
    if (!registry.has('loss', 'triplet-margin')) registry.use(lossesPlugin);
    if (!registry.has('miner', 'triplet-margin')) registry.use(minersPlugin);
  });

  const setups: Record<string, () => Omit<FitOptions, 'model' | 'epochs' | 'seed' | 'data'>> = {
    'triplet + semi-hard miner + m-per-class + Adam + warm-up/cosine': () => ({
      loss: tripletMarginLoss({ margin: 0.2 }),
      miner: tripletMarginMiner({ margin: 0.2, typeOfTriplets: 'semihard' }),
      sampler: mPerClassSampler({ m: 4, batchSize: 24 }),
      optimizer: { name: 'adam', options: { learningRate: 5e-3 } },
      // An explicit tMax: by default the cosine spans the planned steps, which differ between
      // an `epochs: 2` run and an `epochs: 3` run.
      callbacks: [warmup({ steps: 5, followedBy: cosineLr({ tMax: 7 }) })],
    }),
    'margin loss (learnable beta) + random miner (seeded by fit) + SGD momentum': () => ({
      loss: marginLoss({ learnBeta: true }),
      miner: { name: 'random-triplets', options: { tripletsPerAnchor: 2 } },
      optimizer: { name: 'sgd', options: { learningRate: 0.05, momentum: 0.9 } },
      batchSize: 16,
    }),
    'cross-batch memory (contrastive) + RMSprop': () => ({
      loss: crossBatchMemory({ loss: contrastiveLoss(), embeddingSize: 8, memorySize: 40 }),
      optimizer: { name: 'rmsprop', options: { learningRate: 1e-3 } },
      batchSize: 16,
    }),
  };

  it.each(Object.keys(setups))(
    'a run resumed after 2 epochs computes the same losses as an uninterrupted 3-epoch run (%s)',
    async (name) => {
      const data = train();
      const setup = setups[name] as () => Omit<FitOptions, 'model' | 'epochs' | 'seed' | 'data'>;
      const run = async (epochs: number, dir: string | undefined, resume: boolean) => {
        const model = tinyModel(31);
        const s = setup();
        const callbacks: Callback[] = [...(s.callbacks ?? []), ...(dir ? [checkpoint({ dir })] : [])];
        const r = await fit({
          ...s,
          model,
          data: { kind: 'labelled', x: data.x, labels: data.labels },
          epochs,
          seed: 5,
          callbacks,
          ...(resume && dir ? { resumeFrom: dir } : {}),
        });
        const weights = await Promise.all(model.trainableVariables.map((v) => v.data()));
        model.dispose();
        for (const v of Object.values(r.loss.variables)) v.dispose();
        return { r, weights };
      };
      const full = await run(3, undefined, false);
      const dir = tempDir();
      const first = await run(2, dir, false);
      expect(first.r.completedEpochs).toBe(2);
      const resumed = await run(3, dir, true);
      expect(resumed.r.completedEpochs).toBe(3);
      expect(resumed.r.steps).toBe(full.r.steps);
      expect(resumed.r.history.stepLosses).toEqual(full.r.history.stepLosses);
      expect(resumed.r.history.epochs.map((e) => e.loss)).toEqual(full.r.history.epochs.map((e) => e.loss));
      expect(resumed.weights).toEqual(full.weights);
      data.x.dispose();
    },
  );

  it('a run aborted mid-epoch resumes from the same step with the same losses', async () => {
    const data = train();
    const options = (model: ReturnType<typeof tinyModel>, callbacks: Callback[], signal?: AbortSignal): FitOptions => ({
      model,
      data: { kind: 'labelled', x: data.x, labels: data.labels },
      loss: tripletMarginLoss(),
      miner: { name: 'random-triplets', options: { tripletsPerAnchor: 1 } },
      batchSize: 16,
      epochs: 2,
      seed: 'abc',
      callbacks,
      ...(signal ? { signal } : {}),
    });
    const m1 = tinyModel(2);
    const full = await fit(options(m1, []));
    const dir = tempDir();
    const controller = new AbortController();
    const m2 = tinyModel(2);
    const stopAt = 8; // epoch 0 has 6 batches: this is mid-epoch 1
    const part = await fit(
      options(
        m2,
        [checkpoint({ dir }), { name: 'abort', onBatchEnd: (_c, l) => (l.step === stopAt ? controller.abort() : undefined) }],
        controller.signal,
      ),
    );
    expect(part).toMatchObject({ stopReason: 'aborted', steps: stopAt, completedEpochs: 1 });
    const saved = await loadCheckpoint(dir);
    expect(saved).toMatchObject({ step: stopAt, completedEpochs: 1, batchInEpoch: 2 });
    const m3 = tinyModel(99); // different initial weights: the checkpoint overwrites them
    const resumed = await fit({ ...options(m3, [checkpoint({ dir })]), resumeFrom: dir });
    expect(resumed.history.stepLosses).toEqual(full.history.stepLosses);
    expect(await Promise.all(m3.trainableVariables.map((v) => v.data()))).toEqual(
      await Promise.all(m1.trainableVariables.map((v) => v.data())),
    );
    for (const m of [m1, m2, m3]) m.dispose();
    data.x.dispose();
  });
});

describe('checkpoint files', () => {
  beforeAll(async () => {
    await initBackend({ quiet: true });
  });

  const quickRun = async (dir: string, callbacks: Callback[] = []) => {
    const data = train();
    const model = tinyModel(1);
    const r = await fit({
      model,
      data: { kind: 'labelled', x: data.x, labels: data.labels },
      loss: tripletMarginLoss(),
      epochs: 2,
      batchSize: 32,
      seed: 1,
      callbacks: [...callbacks, checkpoint({ dir })],
    });
    model.dispose();
    data.x.dispose();
    return r;
  };

  it('checkpoint saves callback state and the history, and resuming a finished run trains nothing', async () => {
    const dir = tempDir();
    const stopper = earlyStopping({ patience: 100 });
    await quickRun(dir, [stopper]);
    const saved = await loadCheckpoint(dir);
    expect(saved.callbacks['early-stopping']).toEqual({ best: stopper.best, wait: expect.any(Number) });
    expect(saved.history.epochs).toHaveLength(2);
    expect(saved.history.stepLosses).toBeInstanceOf(Float32Array);
    expect(saved.optimizer.className).toBe('Adam');
    expect(saved.optimizer.extra.map((e) => e.name).sort()).toEqual(['accBeta1', 'accBeta2']);
    const data = train();
    const model = tinyModel(1);
    const before = tf.memory().numTensors;
    const again = await fit({
      model,
      data: { kind: 'labelled', x: data.x, labels: data.labels },
      loss: tripletMarginLoss(),
      epochs: 2,
      batchSize: 32,
      seed: 1,
      resumeFrom: saved,
    });
    expect(again).toMatchObject({ completedEpochs: 2, steps: saved.step, stopReason: 'completed' });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    data.x.dispose();
  });

  it('loading a damaged, truncated or missing checkpoint throws a typed error', async () => {
    const dir = tempDir();
    await quickRun(dir);
    const file = join(dir, CHECKPOINT_FILE);
    const good = readFileSync(file);
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e) => (isEmbError(e) ? e.code : String(e)),
      );
    const flipped = Buffer.from(good);
    flipped[200] = (flipped[200] as number) ^ 0x01;
    writeFileSync(file, flipped);
    expect(await code(loadCheckpoint(dir))).toBe('CORRUPT_FILE');
    writeFileSync(file, good.subarray(0, good.length - 10));
    expect(await code(loadCheckpoint(dir))).toBe('CORRUPT_FILE');
    writeFileSync(file, Buffer.from('not a checkpoint at all, just some text'));
    expect(await code(loadCheckpoint(dir))).toBe('CORRUPT_FILE');
    expect(await code(loadCheckpoint(join(dir, 'missing')))).toBe('NOT_FOUND');
    writeFileSync(file, good);
    expect(await code(loadCheckpoint(file))).toBe('ok');
  });

  it('resuming with another architecture, optimizer or seed is refused with a clear error', async () => {
    const dir = tempDir();
    await quickRun(dir);
    const data = train();
    const base = {
      data: { kind: 'labelled', x: data.x, labels: data.labels },
      loss: tripletMarginLoss(),
      epochs: 3,
      seed: 1,
      callbacks: [checkpoint({ dir })],
      resumeFrom: dir,
    } as const;
    const err = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e) => (isEmbError(e) ? `${e.code}: ${e.message}` : String(e)),
      );
    const wide = tinyModel(1, 8, 48);
    expect(await err(fit({ ...base, model: wide }))).toMatch(/^SHAPE_MISMATCH: .*\[16, ?32\].*\[16, ?48\]/);
    const model = tinyModel(1);
    expect(await err(fit({ ...base, model, optimizer: 'sgd' }))).toMatch(/^INVALID_OPTION: .*"Adam".*"SGD"/);
    expect(await err(fit({ ...base, model, seed: 2 }))).toMatch(/^INVALID_OPTION: .*seed 1.*seed 2/);
    wide.dispose();
    model.dispose();
    data.x.dispose();
  });
});
