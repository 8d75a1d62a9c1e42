import '@tensorflow/tfjs-backend-cpu';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@emb/core';
import { tripletMarginLoss } from '@emb/losses';
import { mPerClassSampler, tripletMarginMiner } from '@emb/miners';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticClasses, syntheticImages } from '../test/synthetic.js';
import { checkpoint } from './checkpoint.js';
import { fit } from './fit.js';

const dir = mkdtempSync(join(tmpdir(), 'emb-layers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function denseModel(seed: number): tfl.Sequential {
  const model = tfl.sequential();
  model.add(
    tfl.layers.dense({
      inputShape: [16],
      units: 32,
      activation: 'relu',
      kernelInitializer: tfl.initializers.glorotUniform({ seed }),
    }),
  );
  model.add(tfl.layers.batchNormalization());
  model.add(tfl.layers.dense({ units: 8, kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }) }));
  return model;
}

describe.each(['wasm', 'cpu'] as const)('tfjs-layers models on %s', (backend) => {
  beforeAll(async () => {
    await initBackend({ backend, quiet: true });
  });

  it('fit trains a tfjs-layers model (batch norm included) and resumes it exactly from a checkpoint', async () => {
    const data = syntheticClasses([0, 1, 2, 3, 4, 5], 16, 3);
    const options = (model: tfl.Sequential, epochs: number) => ({
      model,
      data: { kind: 'labelled', x: data.x, labels: data.labels } as const,
      loss: tripletMarginLoss(),
      miner: tripletMarginMiner({ typeOfTriplets: 'semihard' }),
      sampler: mPerClassSampler({ m: 4, batchSize: 24 }),
      epochs,
      seed: 4,
    });
    const full = denseModel(1);
    const a = await fit(options(full, 3));
    const losses = a.history.epochs.map((e) => e.loss);
    expect(losses.at(-1)).toBeLessThan(losses[0] as number);
    const d = join(dir, backend);
    const part = denseModel(1);
    await fit({ ...options(part, 2), callbacks: [checkpoint({ dir: d })] });
    const resumed = denseModel(1);
    const b = await fit({ ...options(resumed, 3), callbacks: [checkpoint({ dir: d })], resumeFrom: d });
    expect(b.history.stepLosses).toEqual(a.history.stepLosses);
    // Every weight, the batch-norm moving statistics included.
    const w1 = full.getWeights().map((w) => Array.from(w.dataSync()));
    const w2 = resumed.getWeights().map((w) => Array.from(w.dataSync()));
    expect(w2).toEqual(w1);
    for (const m of [full, part, resumed]) m.dispose();
    data.x.dispose();
  });

  it('fit trains a small CNN (conv + pool + dense): the loss falls', async () => {
    const data = syntheticImages([0, 1, 2, 3], 16, 5);
    const model = tfl.sequential();
    model.add(
      tfl.layers.conv2d({
        inputShape: [8, 8, 1],
        filters: 4,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: tfl.initializers.heNormal({ seed: 1 }),
      }),
    );
    model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tfl.layers.flatten());
    model.add(tfl.layers.dense({ units: 8, kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }));
    const before = tf.memory().numTensors;
    const r = await fit({
      model,
      data: { kind: 'labelled', x: data.x, labels: data.labels },
      loss: tripletMarginLoss(),
      sampler: mPerClassSampler({ m: 4, batchSize: 16 }),
      optimizer: { name: 'adam', options: { learningRate: 1e-2 } },
      epochs: 5,
      seed: 1,
    });
    expect(tf.memory().numTensors).toBe(before);
    const losses = r.history.epochs.map((e) => e.loss);
    expect(losses.at(-1)).toBeLessThan((losses[0] as number) * 0.8);
    model.dispose();
    data.x.dispose();
  });
});
