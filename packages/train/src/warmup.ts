import { EmbError, quote } from '@emb/core';
import { defineSchedule, type LearningRateSchedule, positive } from './learning-rate-schedule.js';

/** Options of {@link warmup}. */
export interface WarmupOptions {
  /** Steps of linear warm-up. Required. */
  readonly steps: number;
  /** The first step's rate as a fraction of the base rate. Default 0.1. */
  readonly startFactor?: number;
  /** The schedule after warm-up, which sees the progress shifted by `steps` (its step 0 is the first step after warm-up). Default: the base rate. */
  readonly followedBy?: LearningRateSchedule;
}

/**
 * Linear warm-up (PyTorch `LinearLR`): the rate rises from `startFactor * base` to `base`
 * over `steps` steps, then follows `followedBy`.
 *
 * Options: `steps` (required), `startFactor = 0.1`, `followedBy` (default: the base rate).
 *
 * @example
 * callbacks: [warmup({ steps: 200, followedBy: cosineLr({ etaMin: 1e-5 }) })]
 */
export function warmup(options: WarmupOptions): LearningRateSchedule {
  const steps = positive(options?.steps, 'steps', 'warmup', true);
  const startFactor = options.startFactor ?? 0.1;
  if (typeof startFactor !== 'number' || !(startFactor >= 0 && startFactor <= 1)) {
    throw new EmbError('INVALID_OPTION', `warmup: 'startFactor' must be in [0, 1], got ${quote(startFactor)}.`, {
      option: 'startFactor',
    });
  }
  const next = options.followedBy;
  if (next !== undefined && typeof next.learningRateAt !== 'function') {
    throw new EmbError('INVALID_OPTION', `warmup: 'followedBy' must be a schedule such as cosineLr(), got ${quote(next)}.`, {
      option: 'followedBy',
    });
  }
  return defineSchedule('warmup', (p) => {
    if (p.step < steps) return p.baseLearningRate * (startFactor + ((1 - startFactor) * p.step) / steps);
    if (!next) return p.baseLearningRate;
    return next.learningRateAt({ ...p, step: p.step - steps, totalSteps: Math.max(1, p.totalSteps - steps) });
  });
}
