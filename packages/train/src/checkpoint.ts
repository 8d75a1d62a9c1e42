import { EmbError, quote } from '@emb/core';
import type { Callback, CheckpointStore } from './callback.js';
import { loadCheckpoint, saveCheckpoint } from './save-checkpoint.js';

/** Options of {@link checkpoint}. */
export interface CheckpointOptions {
  /** Directory of the checkpoint (`<dir>/checkpoint.embtrain`, replaced atomically on every save). */
  readonly dir: string;
  /** Save after every `every` epochs. Default 1. Training's end (completed, stopped or aborted) always saves. */
  readonly every?: number;
  /** Called after each save with the file's path. */
  readonly onSave?: (path: string, info: { readonly epoch: number; readonly step: number }) => void;
}

/** Reads and writes `<dir>/checkpoint.embtrain` files. */
export const fileCheckpointStore: CheckpointStore = Object.freeze({
  save: async (dir: string, snapshot: Parameters<CheckpointStore['save']>[1]) => {
    await saveCheckpoint(dir, snapshot);
  },
  load: (dir: string) => loadCheckpoint(dir),
});

/**
 * Saves everything a run needs to resume exactly (model weights, optimizer state, loss
 * variables and state, sampler and RNG state, position, callback state, history) to
 * `<dir>/checkpoint.embtrain` every `every` epochs and when training ends, with an atomic
 * write and a CRC-32 (see `saveCheckpoint`). Resume with `fit({ ...same options, epochs:
 * more, callbacks: [checkpoint({ dir })], resumeFrom: dir })`: the resumed run computes the
 * same losses as an uninterrupted one on the same backend. Runs after the other callbacks.
 *
 * Options: `dir` (required), `every = 1`, `onSave`.
 *
 * @example
 * import { checkpoint } from '@emb/train/node';
 * await fit({ ...options, epochs: 10, callbacks: [checkpoint({ dir: 'runs/a' })], resumeFrom: existsSync('runs/a') ? 'runs/a' : undefined });
 */
export function checkpoint(options: CheckpointOptions): Callback {
  if (options === null || typeof options !== 'object' || typeof options.dir !== 'string' || options.dir.length === 0) {
    throw new EmbError('INVALID_OPTION', `checkpoint: 'dir' must be a directory path, got ${quote(options?.dir)}.`, {
      option: 'dir',
    });
  }
  const every = options.every ?? 1;
  if (!Number.isInteger(every) || every < 1) {
    throw new EmbError('INVALID_OPTION', `checkpoint: 'every' must be a positive integer, got ${quote(every)}.`, {
      option: 'every',
    });
  }
  let savedAtStep = -1;
  const save = async (ctx: Parameters<NonNullable<Callback['onEpochEnd']>>[0]) => {
    const snapshot = await ctx.snapshot();
    const path = await saveCheckpoint(options.dir, snapshot);
    savedAtStep = snapshot.step;
    options.onSave?.(path, { epoch: snapshot.completedEpochs, step: snapshot.step });
  };
  return {
    name: 'checkpoint',
    runLast: true,
    checkpointStore: fileCheckpointStore,
    onTrainBegin(ctx) {
      savedAtStep = ctx.step;
    },
    async onEpochEnd(ctx, logs) {
      if ((logs.epoch + 1) % every === 0) await save(ctx);
    },
    async onTrainEnd(ctx) {
      if (ctx.step !== savedAtStep) await save(ctx);
    },
  };
}
