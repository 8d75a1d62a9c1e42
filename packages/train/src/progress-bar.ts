import type { MinerStats } from '@emb/core';
import type { Callback, EpochLogs } from './callback.js';

/** Where the progress bar writes: a Node stream (`process.stderr`) or anything with `write`. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Options of {@link progressBar}. */
export interface ProgressBarOptions {
  /** Default `process.stderr` in Node; `console.log` lines elsewhere. */
  readonly stream?: ProgressStream;
  /** Redraw at most this often on a TTY, in ms. Default 100. */
  readonly refreshMs?: number;
  /** Without a TTY, also print a line every `everySteps` steps. Default: one line per epoch. */
  readonly everySteps?: number;
  /** Characters of the bar. Default 24. */
  readonly width?: number;
}

const num = (x: number, digits = 4) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const time = (seconds: number) => {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
};

function minerText(stats: MinerStats | undefined): string {
  if (!stats) return '';
  const counts =
    stats.numTriplets > 0 || (stats.numPositivePairs === 0 && stats.numNegativePairs === 0)
      ? `triplets ${Math.round(stats.numTriplets)}`
      : `pairs +${Math.round(stats.numPositivePairs)}/-${Math.round(stats.numNegativePairs)}`;
  return `  ${counts} d+ ${num(stats.meanPositiveDistance, 3)} d- ${num(stats.meanNegativeDistance, 3)}`;
}

function metricsText(logs: EpochLogs): string {
  return Object.entries(logs.metrics)
    .map(([k, v]) => `  ${k} ${num(v)}`)
    .join('');
}

function defaultStream(): ProgressStream {
  const proc = (globalThis as { process?: { stderr?: ProgressStream } }).process;
  if (proc?.stderr && typeof proc.stderr.write === 'function') return proc.stderr;
  let line = '';
  return {
    write(text: string) {
      line += text;
      const parts = line.split('\n');
      line = parts.pop() ?? '';
      for (const p of parts) console.log(p);
    },
  };
}

/**
 * Training progress. On a TTY: one live line per epoch with a bar, steps done, rate
 * (steps/s), ETA of the epoch, the running mean loss, the miner's statistics (triplets or
 * pairs per batch, mean positive and negative distances) and the learning rate, then a
 * summary line with the epoch's metrics. Otherwise (CI, a log file): plain lines, one per
 * epoch (and every `everySteps` steps when set).
 *
 * Options: `stream = process.stderr`, `refreshMs = 100`, `everySteps` (none), `width = 24`.
 *
 * @example
 * await fit({ ..., callbacks: [evaluate({ query, queryLabels }), progressBar()] });
 */
export function progressBar(options: ProgressBarOptions = {}): Callback {
  const stream = options.stream ?? defaultStream();
  const tty = stream.isTTY === true;
  const refreshMs = options.refreshMs ?? 100;
  const width = options.width ?? 24;
  let epochStart = 0;
  let lastDraw = 0;
  let lossSum = 0;
  let count = 0;
  let firstBatch = 0;
  let lastStats: MinerStats | undefined;

  return {
    name: 'progress-bar',
    // After evaluate & co., so the epoch line shows their metrics.
    runLast: true,
    onEpochBegin() {
      epochStart = performance.now();
      lastDraw = 0;
      lossSum = 0;
      count = 0;
      firstBatch = -1;
      lastStats = undefined;
    },
    onBatchEnd(ctx, logs) {
      if (firstBatch < 0) firstBatch = logs.batch;
      lossSum += logs.loss;
      count++;
      lastStats = logs.miner ?? lastStats;
      const now = performance.now();
      const done = logs.batch + 1;
      const total = ctx.batchesPerEpoch;
      const rate = count / Math.max(1e-9, (now - epochStart) / 1000);
      const head = `epoch ${ctx.epoch + 1}/${ctx.epochs}`;
      const tail = `${rate.toFixed(1)} step/s  ETA ${time((total - done) / rate)}  loss ${num(lossSum / count)}${minerText(lastStats)}  lr ${logs.learningRate.toExponential(1)}`;
      if (tty) {
        if (done < total && now - lastDraw < refreshMs) return;
        lastDraw = now;
        const filled = Math.round((width * done) / Math.max(1, total));
        const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
        let text = `${head} ${bar} ${done}/${total}  ${tail}`;
        if (stream.columns && text.length > stream.columns - 1) text = text.slice(0, stream.columns - 1);
        stream.write(`\r\x1b[2K${text}`);
      } else if (options.everySteps && logs.step % options.everySteps === 0) {
        stream.write(`${head} step ${done}/${total}  ${tail}\n`);
      }
    },
    onEpochEnd(ctx, logs) {
      const seconds = (performance.now() - epochStart) / 1000;
      const rate = count / Math.max(1e-9, logs.timeMs / 1000);
      const line = `epoch ${logs.epoch + 1}/${ctx.epochs}  ${logs.steps} steps  ${seconds.toFixed(1)} s  ${rate.toFixed(1)} step/s  loss ${num(logs.loss)}${minerText(logs.miner)}${metricsText(logs)}`;
      stream.write(tty ? `\r\x1b[2K${line}\n` : `${line}\n`);
    },
    onTrainEnd(_ctx, result) {
      if (result.stopReason !== 'completed') {
        stream.write(
          `${tty ? '\r\x1b[2K' : ''}training ${result.stopReason}${result.stopMessage ? `: ${result.stopMessage}` : ''} after ${result.steps} steps\n`,
        );
      }
    },
  };
}
