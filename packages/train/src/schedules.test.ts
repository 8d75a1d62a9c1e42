import { initBackend } from '@emb/core';
import { tripletMarginLoss } from '@emb/losses';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticClasses, tinyModel } from '../test/synthetic.js';
import { cosineLr } from './cosine-lr.js';
import { fit } from './fit.js';
import type { ScheduleProgress } from './learning-rate-schedule.js';
import { stepLr } from './step-lr.js';
import { warmup } from './warmup.js';

const at = (step: number, epoch = 0): ScheduleProgress => ({
  step,
  epoch,
  batchesPerEpoch: 10,
  totalSteps: 100,
  baseLearningRate: 0.1,
});

describe('learning-rate schedules', () => {
  beforeAll(async () => {
    await initBackend({ quiet: true });
  });

  it('stepLr multiplies the rate by gamma every stepSize epochs (or steps)', () => {
    const s = stepLr({ stepSize: 2, gamma: 0.5 });
    expect([0, 1, 2, 3, 4].map((e) => s.learningRateAt(at(e * 10, e)))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
    expect(stepLr({ stepSize: 30, unit: 'step' }).learningRateAt(at(65, 6))).toBeCloseTo(0.001, 12);
  });

  it('cosineLr anneals from the base rate to etaMin over tMax steps (default: the whole run) and stays there', () => {
    const s = cosineLr({ etaMin: 0.01 });
    expect(s.learningRateAt(at(0))).toBeCloseTo(0.1, 12);
    expect(s.learningRateAt(at(50))).toBeCloseTo(0.055, 12);
    expect(s.learningRateAt(at(100))).toBeCloseTo(0.01, 12);
    expect(s.learningRateAt(at(150))).toBeCloseTo(0.01, 12);
    expect(cosineLr({ tMax: 10 }).learningRateAt(at(5))).toBeCloseTo(0.05, 12);
  });

  it('warmup rises linearly from startFactor x base, then hands over to the next schedule with shifted steps', () => {
    const s = warmup({ steps: 10, startFactor: 0, followedBy: cosineLr() });
    expect(s.learningRateAt(at(0))).toBe(0);
    expect(s.learningRateAt(at(5))).toBeCloseTo(0.05, 12);
    expect(s.learningRateAt(at(10))).toBeCloseTo(0.1, 12); // cosine step 0 of 90
    expect(s.learningRateAt(at(55))).toBeCloseTo(0.05, 12); // cosine halfway
    expect(warmup({ steps: 4 }).learningRateAt(at(40))).toBe(0.1);
    expect(() => warmup({ steps: 0 })).toThrow(/'steps' must be a positive integer/);
  });

  it('fit applies the schedule before every step and reports the rate each step used', async () => {
    const data = syntheticClasses([0, 1, 2, 3], 8, 1);
    const model = tinyModel(1);
    const rates: number[] = [];
    await fit({
      model,
      data: { kind: 'labelled', x: data.x, labels: data.labels },
      loss: tripletMarginLoss(),
      optimizer: { name: 'sgd', options: { learningRate: 0.2 } },
      batchSize: 8,
      epochs: 3,
      seed: 1,
      callbacks: [stepLr({ stepSize: 1, gamma: 0.5 }), { name: 'rates', onBatchEnd: (_c, l) => void rates.push(l.learningRate) }],
    });
    expect(rates).toEqual([...Array(4).fill(0.2), ...Array(4).fill(0.1), ...Array(4).fill(0.05)]);
    model.dispose();
    data.x.dispose();
    void tf;
  });
});
