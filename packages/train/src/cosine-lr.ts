import { EmbError, quote } from '@emb/core';
import { defineSchedule, type LearningRateSchedule, positive } from './learning-rate-schedule.js';

/** Options of {@link cosineLr}. */
export interface CosineLrOptions {
  /** Steps of the half cosine. Default: the run's planned steps. */
  readonly tMax?: number;
  /** The final learning rate. Default 0. */
  readonly etaMin?: number;
}

/**
 * Cosine annealing per step (PyTorch `CosineAnnealingLR`, one half period):
 * `lr = etaMin + (base - etaMin) * (1 + cos(pi * t / tMax)) / 2`, held at `etaMin` after
 * `tMax` steps.
 *
 * Options: `tMax` (default: all planned steps), `etaMin = 0`.
 *
 * @example
 * callbacks: [warmup({ steps: 100, then: cosineLr() })]
 */
export function cosineLr(options: CosineLrOptions = {}): LearningRateSchedule {
  const tMax = options.tMax === undefined ? undefined : positive(options.tMax, 'tMax', 'cosineLr', true);
  const etaMin = options.etaMin ?? 0;
  if (typeof etaMin !== 'number' || !Number.isFinite(etaMin) || etaMin < 0) {
    throw new EmbError('INVALID_OPTION', `cosineLr: 'etaMin' must be a number >= 0, got ${quote(etaMin)}.`, { option: 'etaMin' });
  }
  return defineSchedule('cosine-lr', (p) => {
    const period = tMax ?? Math.max(1, p.totalSteps);
    const t = Math.min(p.step, period);
    return etaMin + ((p.baseLearningRate - etaMin) * (1 + Math.cos((Math.PI * t) / period))) / 2;
  });
}
