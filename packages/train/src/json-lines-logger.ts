import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { EmbError, quote } from '@emb/core';
import type { Callback } from './callback.js';

/** Options of {@link jsonLinesLogger}. */
export interface JsonLinesLoggerOptions {
  /** Log every `everySteps`-th step (0: epochs only). Default 1. */
  readonly everySteps?: number;
}

/**
 * Appends one JSON object per line to `path`: `{"type":"begin",...}`, one
 * `{"type":"step","epoch","batch","step","loss","learningRate","rows","miner"?,"time"}` per
 * step, `{"type":"epoch",...,"metrics"}` per epoch and `{"type":"end","stopReason",...}`.
 * Lines are buffered and written at each epoch's end and at the end of training. Non-finite
 * numbers are written as `null`. Runs after the other callbacks (so epoch lines carry metrics).
 *
 * @example
 * import { jsonLinesLogger } from '@emb/train/node';
 * await fit({ ..., callbacks: [evaluate({ query, queryLabels }), jsonLinesLogger('runs/a/log.jsonl')] });
 */
export function jsonLinesLogger(path: string, options: JsonLinesLoggerOptions = {}): Callback {
  if (typeof path !== 'string' || path.length === 0) {
    throw new EmbError('INVALID_OPTION', `jsonLinesLogger: 'path' must be a file path, got ${quote(path)}.`, { option: 'path' });
  }
  const everySteps = options.everySteps ?? 1;
  if (!Number.isInteger(everySteps) || everySteps < 0) {
    throw new EmbError('INVALID_OPTION', `jsonLinesLogger: 'everySteps' must be an integer >= 0, got ${quote(everySteps)}.`, {
      option: 'everySteps',
    });
  }
  let buffer: string[] = [];
  const line = (record: Record<string, unknown>) => buffer.push(JSON.stringify({ ...record, time: new Date().toISOString() }));
  const flush = async () => {
    if (buffer.length === 0) return;
    const text = `${buffer.join('\n')}\n`;
    buffer = [];
    try {
      await mkdir(dirname(path), { recursive: true });
      await appendFile(path, text);
    } catch (cause) {
      throw new EmbError(
        'IO',
        `jsonLinesLogger: could not write ${quote(path)}: ${(cause as Error).message}`,
        { path },
        { cause },
      );
    }
  };
  return {
    name: 'json-lines-logger',
    runLast: true,
    onTrainBegin(ctx) {
      line({
        type: 'begin',
        seed: ctx.seed,
        epochs: ctx.epochs,
        epoch: ctx.epoch,
        step: ctx.step,
        batchesPerEpoch: ctx.batchesPerEpoch,
        loss: ctx.loss.name,
      });
    },
    onBatchEnd(_ctx, logs) {
      if (everySteps > 0 && logs.step % everySteps === 0) line({ type: 'step', ...logs });
    },
    async onEpochEnd(_ctx, logs) {
      line({ type: 'epoch', ...logs });
      await flush();
    },
    async onTrainEnd(_ctx, result) {
      line({
        type: 'end',
        stopReason: result.stopReason,
        stopMessage: result.stopMessage,
        completedEpochs: result.completedEpochs,
        steps: result.steps,
      });
      await flush();
    },
  };
}
