import { EmbError, quote } from '@emb/core';
import type { Callback } from './callback.js';

/** Where training is when a schedule picks the learning rate of the next step. */
export interface ScheduleProgress {
  /** Steps done before this one (0 for the first step). */
  readonly step: number;
  /** The current epoch (0-based). */
  readonly epoch: number;
  readonly batchesPerEpoch: number;
  /** Planned steps of the run. */
  readonly totalSteps: number;
  /** The optimizer's learning rate at the start of the run. */
  readonly baseLearningRate: number;
}

/**
 * A learning-rate schedule: a pure function of the progress (so a resumed run gets the same
 * rates), installed as a callback that sets the optimizer's learning rate before every step.
 */
export interface LearningRateSchedule extends Callback {
  learningRateAt(progress: ScheduleProgress): number;
}

/**
 * Makes a {@link LearningRateSchedule} from a function of the progress.
 *
 * @example
 * const halving = defineSchedule('halving', ({ epoch, baseLearningRate }) => baseLearningRate / 2 ** epoch);
 */
export function defineSchedule(name: string, learningRateAt: (progress: ScheduleProgress) => number): LearningRateSchedule {
  return {
    name,
    learningRateAt,
    onBatchBegin(ctx) {
      const lr = learningRateAt({
        step: ctx.step,
        epoch: ctx.epoch,
        batchesPerEpoch: ctx.batchesPerEpoch,
        totalSteps: ctx.totalSteps,
        baseLearningRate: ctx.baseLearningRate,
      });
      if (!Number.isFinite(lr) || lr < 0) {
        throw new EmbError(
          'INVALID_OPTION',
          `schedule ${quote(name)} gave learning rate ${quote(lr)} at step ${ctx.step}; it must be a finite number >= 0.`,
        );
      }
      ctx.setLearningRate(lr);
    },
  };
}

/** @internal */
export function positive(value: unknown, name: string, who: string, integer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new EmbError(
      'INVALID_OPTION',
      `${who}: '${name}' must be a positive ${integer ? 'integer' : 'number'}, got ${quote(value)}.`,
      {
        option: name,
      },
    );
  }
  return value;
}
