import { EmbError, quote } from '@emb/core';
import { defineSchedule, type LearningRateSchedule, positive } from './learning-rate-schedule.js';

/** Options of {@link stepLr}. */
export interface StepLrOptions {
  /** Decay every `stepSize` epochs (or steps, with `unit: 'step'`). Required. */
  readonly stepSize: number;
  /** Multiplicative factor. Default 0.1. */
  readonly gamma?: number;
  /** Count epochs (PyTorch's usual `scheduler.step()` per epoch) or optimizer steps. Default `'epoch'`. */
  readonly unit?: 'epoch' | 'step';
}

/**
 * Step decay (PyTorch `StepLR`): `lr = base * gamma ^ floor(t / stepSize)`, with `t` the
 * epoch (or step).
 *
 * Options: `stepSize` (required), `gamma = 0.1`, `unit = 'epoch'`.
 *
 * @example
 * callbacks: [stepLr({ stepSize: 10, gamma: 0.5 })]
 */
export function stepLr(options: StepLrOptions): LearningRateSchedule {
  const stepSize = positive(options?.stepSize, 'stepSize', 'stepLr', true);
  const gamma = options.gamma ?? 0.1;
  positive(gamma, 'gamma', 'stepLr');
  const unit = options.unit ?? 'epoch';
  if (unit !== 'epoch' && unit !== 'step') {
    throw new EmbError('INVALID_OPTION', `stepLr: 'unit' must be 'epoch' or 'step', got ${quote(unit)}.`, { option: 'unit' });
  }
  return defineSchedule(
    'step-lr',
    (p) => p.baseLearningRate * gamma ** Math.floor((unit === 'epoch' ? p.epoch : p.step) / stepSize),
  );
}
