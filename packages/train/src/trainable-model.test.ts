import '@tensorflow/tfjs-backend-cpu';
import { initBackend } from '@emb/core';
import { contrastiveLoss } from '@emb/losses';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { fit } from './fit.js';
import type { LayersModelLike, TrainableModel, VariablesModel } from './trainable-model.js';

// Type tests: `pnpm typecheck` (tsc over src, tests included) fails if a tfjs-layers model
// stops being accepted by `fit` without a cast; the runtime assertions below run under vitest.
describe('TrainableModel', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', quiet: true });
  });

  it('accepts tfjs-layers models (sequential, functional, a single layer) without a cast', () => {
    expectTypeOf<tfl.Sequential>().toExtend<LayersModelLike>();
    expectTypeOf<tfl.LayersModel>().toExtend<TrainableModel>();
    expectTypeOf<tfl.layers.Layer>().toExtend<TrainableModel>();
    expectTypeOf<VariablesModel>().toExtend<TrainableModel>();
    // Not a model: no variables to train.
    expectTypeOf<{ apply(x: tf.Tensor): tf.Tensor }>().not.toExtend<TrainableModel>();
    expectTypeOf<{ apply(x: tf.Tensor): tf.Tensor; trainableVariables: tf.Tensor[] }>().not.toExtend<TrainableModel>();
  });

  it('fit({ model: tfl.sequential(...) }) type-checks and trains with no cast', async () => {
    const before = tf.memory().numTensors;
    const x = tf.randomNormal([16, 4], 0, 1, 'float32', 3);
    const model = tfl.sequential({
      layers: [tfl.layers.dense({ inputShape: [4], units: 3, kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) })],
    });
    const result = await fit({
      model,
      loss: contrastiveLoss(),
      data: { kind: 'labelled', x, labels: Int32Array.from({ length: 16 }, (_, i) => i % 4) },
      batchSize: 8,
      epochs: 1,
      seed: 0,
    });
    expect(result.steps).toBe(2);
    model.dispose();
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
