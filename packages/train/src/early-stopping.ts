import { EmbError, quote } from '@emb/core';
import type { Callback } from './callback.js';

/** Options of {@link earlyStopping}. */
export interface EarlyStoppingOptions {
  /** `'loss'` (the epoch's mean training loss) or a metric name in `logs.metrics` (`'meanAveragePrecisionAtR'`). Default `'loss'`. */
  readonly monitor?: string;
  /** Epochs (with a value) without improvement before stopping. Default 3. */
  readonly patience?: number;
  /** Smallest change that counts as an improvement. Default 0. */
  readonly minDelta?: number;
  /** `'min'`, `'max'`, or `'auto'` (min for names containing "loss", else max). Default `'auto'`. */
  readonly mode?: 'min' | 'max' | 'auto';
}

/**
 * Stops training when the monitored value has not improved for `patience` epochs (Keras's
 * `EarlyStopping`). Epochs where the value is missing (an `evaluate` with `every > 1`) are
 * skipped, so patience counts evaluations. Put it after `evaluate` in `callbacks`. Its best
 * value and counter are saved in checkpoints.
 *
 * Options: `monitor = 'loss'`, `patience = 3`, `minDelta = 0`, `mode = 'auto'`.
 *
 * @example
 * callbacks: [evaluate({ query, queryLabels }), earlyStopping({ monitor: 'meanAveragePrecisionAtR', patience: 2 })]
 */
export function earlyStopping(options: EarlyStoppingOptions = {}): Callback & { readonly best: number | null } {
  const monitor = options.monitor ?? 'loss';
  const patience = options.patience ?? 3;
  const minDelta = options.minDelta ?? 0;
  if (!Number.isInteger(patience) || patience < 0) {
    throw new EmbError('INVALID_OPTION', `earlyStopping: 'patience' must be an integer >= 0, got ${quote(patience)}.`, {
      option: 'patience',
    });
  }
  if (typeof minDelta !== 'number' || !(minDelta >= 0)) {
    throw new EmbError('INVALID_OPTION', `earlyStopping: 'minDelta' must be a number >= 0, got ${quote(minDelta)}.`, {
      option: 'minDelta',
    });
  }
  const requested = options.mode ?? 'auto';
  if (!['min', 'max', 'auto'].includes(requested)) {
    throw new EmbError('INVALID_OPTION', `earlyStopping: 'mode' must be 'min', 'max' or 'auto', got ${quote(requested)}.`, {
      option: 'mode',
    });
  }
  const mode = requested === 'auto' ? (/loss/i.test(monitor) ? 'min' : 'max') : requested;
  let best: number | null = null;
  let wait = 0;
  return {
    name: 'early-stopping',
    get best() {
      return best;
    },
    onEpochEnd(ctx, logs) {
      const value = monitor === 'loss' ? logs.loss : logs.metrics[monitor];
      if (value === undefined || Number.isNaN(value)) return;
      const improved = best === null || (mode === 'min' ? value < best - minDelta : value > best + minDelta);
      if (improved) {
        best = value;
        wait = 0;
        return;
      }
      wait++;
      if (wait >= patience) ctx.stop(`early stopping: ${monitor} did not improve on ${best} for ${wait} epochs`);
    },
    getState: () => ({ best, wait }),
    setState(state) {
      const s = state as { best?: unknown; wait?: unknown } | null;
      best = typeof s?.best === 'number' ? s.best : null;
      wait = typeof s?.wait === 'number' ? s.wait : 0;
    },
  };
}
