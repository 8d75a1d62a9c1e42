import '@tensorflow/tfjs-backend-cpu';
import { initBackend } from '@emb/core';
import { contrastiveLoss, ntxentLoss, tripletMarginLoss } from '@emb/losses';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { pairsFromLabels, syntheticClasses, syntheticImages, tinyModel, tripletsFromLabels } from '../test/synthetic.js';
import { brightness } from './brightness.js';
import { composeAugmentations } from './compose-augmentations.js';
import { evaluate } from './evaluate.js';
import { fit } from './fit.js';
import { gaussianNoise } from './gaussian-noise.js';

const TRAIN = [0, 1, 2, 3, 4, 5, 6, 7];
const HELD_OUT = [10, 11, 12, 13, 14];

describe('fit without class labels', () => {
  beforeAll(async () => {
    await initBackend({ quiet: true });
  });

  it('fit learns from (anchor, positive, negative) judgements alone: the loss falls and held-out retrieval improves', async () => {
    const train = syntheticClasses(TRAIN, 40, 1);
    const test = syntheticClasses(HELD_OUT, 30, 2);
    const model = tinyModel(3);
    const evaluator = evaluate({ query: test.x, queryLabels: test.labels, atStart: true });
    const rowsPerStep: number[] = [];
    const result = await fit({
      model,
      // The labels only generate the judgements; fit never sees them.
      data: { kind: 'triplets', x: train.x, ...tripletsFromLabels(train.labels, 1200, 5) },
      loss: tripletMarginLoss({ margin: 0.2 }),
      batchSize: 64,
      optimizer: { name: 'adam', options: { learningRate: 1e-2 } },
      epochs: 4,
      seed: 11,
      callbacks: [evaluator, { name: 'rows', onBatchEnd: (_c, l) => void rowsPerStep.push(l.rows) }],
    });
    const losses = result.history.epochs.map((e) => e.loss);
    expect(result.steps).toBe(4 * Math.ceil(1200 / 64));
    expect(losses.at(-1)).toBeLessThan((losses[0] as number) * 0.7);
    // A batch of 64 triplets embeds each distinct row once.
    expect(Math.max(...rowsPerStep)).toBeLessThanOrEqual(192);
    const [before, after] = [evaluator.results[0], evaluator.results.at(-1)].map(
      (r) => r?.metrics.meanAveragePrecisionAtR as number,
    );
    expect(after).toBeGreaterThan((before as number) + 0.3);
    model.dispose();
    tf.dispose([train.x, test.x]);
  });

  it('fit learns from same/different pair judgements alone (contrastive loss on the given pairs)', async () => {
    const train = syntheticClasses(TRAIN, 40, 1);
    const test = syntheticClasses(HELD_OUT, 30, 2);
    const model = tinyModel(3);
    const evaluator = evaluate({ query: test.x, queryLabels: test.labels, atStart: true });
    const result = await fit({
      model,
      data: { kind: 'pairs', x: train.x, ...pairsFromLabels(train.labels, 1600, 5) },
      loss: contrastiveLoss(),
      batchSize: 64,
      optimizer: { name: 'adam', options: { learningRate: 1e-2 } },
      epochs: 4,
      seed: 11,
      callbacks: [evaluator],
    });
    const losses = result.history.epochs.map((e) => e.loss);
    expect(losses.at(-1)).toBeLessThan((losses[0] as number) * 0.85);
    const [before, after] = [evaluator.results[0], evaluator.results.at(-1)].map(
      (r) => r?.metrics.meanAveragePrecisionAtR as number,
    );
    expect(after).toBeGreaterThan((before as number) + 0.3);
    model.dispose();
    tf.dispose([train.x, test.x]);
  });

  it('self-supervised fit (two augmented views per image, NT-Xent) lowers the loss and improves held-out retrieval', async () => {
    const train = syntheticImages(TRAIN, 30, 1);
    const test = syntheticImages(HELD_OUT, 30, 2);
    const model = tinyModel(3, 8, 32, 64);
    const evaluator = evaluate({ query: test.x, queryLabels: test.labels, atStart: true });
    const before = tf.memory().numTensors;
    const result = await fit({
      model,
      data: {
        kind: 'views',
        x: train.x,
        augment: composeAugmentations([brightness({ maxDelta: 3 }), gaussianNoise({ stddev: 0.1 })]),
      },
      loss: ntxentLoss({ temperature: 0.5 }),
      batchSize: 64,
      optimizer: { name: 'adam', options: { learningRate: 1e-2 } },
      epochs: 12,
      seed: 11,
      callbacks: [evaluator],
    });
    expect(tf.memory().numTensors).toBe(before);
    const losses = result.history.epochs.map((e) => e.loss);
    expect(losses.at(-1)).toBeLessThan((losses[0] as number) - 0.5);
    const first = evaluator.results[0]?.metrics as Record<string, number>;
    const last = evaluator.results.at(-1)?.metrics as Record<string, number>;
    expect(last.meanAveragePrecisionAtR).toBeGreaterThan((first.meanAveragePrecisionAtR as number) * 1.6);
    expect(last.precisionAt1).toBeGreaterThan((first.precisionAt1 as number) + 0.2);
    model.dispose();
    tf.dispose([train.x, test.x]);
  });

  it('views default to crop, flip, brightness and noise for images, and need an augment for other inputs', async () => {
    const images = syntheticImages([0, 1], 8, 3);
    const model = tinyModel(3, 8, 16, 64);
    const result = await fit({
      model,
      data: { kind: 'views', x: images.x },
      loss: ntxentLoss(),
      batchSize: 8,
      epochs: 1,
      seed: 1,
    });
    expect(result.steps).toBe(2);
    const vectors = syntheticClasses([0, 1], 4, 3);
    await expect(
      fit({ model: tinyModel(1), data: { kind: 'views', x: vectors.x }, loss: ntxentLoss(), epochs: 1, seed: 1 }),
    ).rejects.toThrow(/default augmentations work on images/);
    model.dispose();
    tf.dispose([images.x, vectors.x]);
  });
});
