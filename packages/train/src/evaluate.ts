import { EmbError, type LabelsLike, quote } from '@emb/core';
import { l2Normalize } from '@emb/distance';
import { type AccuracyInput, type AccuracyMetric, type AccuracyResult, accuracyCalculator } from '@emb/index';
import * as tf from '@tensorflow/tfjs-core';
import type { Callback, TrainingContext } from './callback.js';

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Inputs [N, ...] of the held-out set (classes not trained on). */
  readonly query: tf.Tensor;
  readonly queryLabels: LabelsLike;
  /** A separate reference set; default: the query set itself (self-retrieval, leave-one-out). */
  readonly reference?: tf.Tensor;
  readonly referenceLabels?: LabelsLike;
  /** Evaluate after every `every` epochs (and after the last epoch). Default 1. */
  readonly every?: number;
  /** Also evaluate once before training (the untrained baseline). Default false. */
  readonly atStart?: boolean;
  /** Metrics (accuracyCalculator names). Default `['precisionAt1', 'meanAveragePrecisionAtR']`. */
  readonly include?: readonly AccuracyMetric[];
  /** Neighbours per query. Default `'max_bin_count'` (enough for precision@1, R-precision and MAP@R). */
  readonly k?: number | 'max_bin_count' | null;
  readonly avgOfAvgs?: boolean;
  /** L2-normalise the embeddings first (PML's testers do by default). Default true. */
  readonly normalizeEmbeddings?: boolean;
  /** Rows per forward pass. Default 256. */
  readonly batchSize?: number;
  /** Called with each result (e.g. to print it). */
  readonly onResult?: (result: EvaluationResult) => void;
  /** Callback name (its key in checkpoints). Default `'evaluate'`. */
  readonly name?: string;
}

/** One evaluation. */
export interface EvaluationResult {
  /** Epochs completed when it ran (0 = before training). */
  readonly epoch: number;
  readonly step: number;
  /** The metrics (numbers only: precisionAt1, meanAveragePrecisionAtR, ...). */
  readonly metrics: Readonly<Record<string, number>>;
}

/** The evaluation callback; `results` lists every evaluation of the run so far. */
export interface Evaluator extends Callback {
  readonly results: readonly EvaluationResult[];
  /** Runs one evaluation now (outside `fit`, e.g. on the untrained model), with the context's model. */
  run(ctx: Pick<TrainingContext, 'embed' | 'epoch' | 'step'>): Promise<EvaluationResult>;
}

/**
 * Retrieval accuracy on held-out data during training, with `@emb/index`'s
 * `accuracyCalculator` (PML's semantics): the model embeds `query` (and `reference`) in
 * inference mode, then precision@1, MAP@R, ... are computed and added to the epoch's
 * `logs.metrics` (where `earlyStopping`, `progressBar` and loggers see them).
 *
 * Options: `query`, `queryLabels` (required), `reference` / `referenceLabels` (default:
 * self-retrieval on the query set), `every = 1`, `atStart = false`,
 * `include = ['precisionAt1', 'meanAveragePrecisionAtR']`, `k = 'max_bin_count'`,
 * `avgOfAvgs = false`, `normalizeEmbeddings = true`, `batchSize = 256`, `onResult`,
 * `name = 'evaluate'`.
 *
 * @example
 * const evaluator = evaluate({ query: testX, queryLabels: testY, every: 1, atStart: true });
 * await fit({ ..., callbacks: [evaluator, earlyStopping({ monitor: 'meanAveragePrecisionAtR', patience: 2 })] });
 * console.log(evaluator.results); // [{ epoch: 0, metrics: {...} }, { epoch: 1, ... }, ...]
 */
export function evaluate(options: EvaluateOptions): Evaluator {
  if (options === null || typeof options !== 'object' || !(options.query instanceof tf.Tensor)) {
    throw new EmbError('INVALID_OPTION', `evaluate: 'query' must be a tensor of inputs [N, ...], got ${quote(options?.query)}.`, {
      option: 'query',
    });
  }
  if ((options.reference === undefined) !== (options.referenceLabels === undefined)) {
    throw new EmbError(
      'INVALID_OPTION',
      'evaluate: pass reference and referenceLabels together (or neither for self-retrieval).',
      { option: 'reference' },
    );
  }
  const every = options.every ?? 1;
  if (!Number.isInteger(every) || every < 1) {
    throw new EmbError('INVALID_OPTION', `evaluate: 'every' must be a positive integer, got ${quote(every)}.`, {
      option: 'every',
    });
  }
  const calculator = accuracyCalculator({
    include: options.include ?? ['precisionAt1', 'meanAveragePrecisionAtR'],
    k: options.k === undefined ? 'max_bin_count' : options.k,
    avgOfAvgs: options.avgOfAvgs ?? false,
  });
  const normalize = options.normalizeEmbeddings ?? true;
  const batchSize = options.batchSize ?? 256;
  const results: EvaluationResult[] = [];

  const embedSet = (ctx: Pick<TrainingContext, 'embed'>, x: tf.Tensor): tf.Tensor2D => {
    const e = ctx.embed(x, { batchSize });
    if (!normalize) return e;
    const n = tf.tidy(() => l2Normalize(e));
    e.dispose();
    return n;
  };

  const run = async (
    ctx: Pick<TrainingContext, 'embed' | 'epoch' | 'step'>,
    epochsDone = ctx.epoch,
  ): Promise<EvaluationResult> => {
    const query = embedSet(ctx, options.query);
    const reference = options.reference ? embedSet(ctx, options.reference) : undefined;
    let out: AccuracyResult;
    try {
      const input: AccuracyInput = reference
        ? { query, queryLabels: options.queryLabels, reference, referenceLabels: options.referenceLabels as LabelsLike }
        : { query, queryLabels: options.queryLabels };
      out = await calculator.compute(input);
    } finally {
      query.dispose();
      reference?.dispose();
    }
    const metrics: Record<string, number> = {};
    for (const [key, value] of Object.entries(out)) if (typeof value === 'number') metrics[key] = value;
    const result: EvaluationResult = Object.freeze({ epoch: epochsDone, step: ctx.step, metrics: Object.freeze(metrics) });
    results.push(result);
    options.onResult?.(result);
    return result;
  };

  return {
    name: options.name ?? 'evaluate',
    results,
    run: (ctx) => run(ctx),
    async onTrainBegin(ctx) {
      if (options.atStart && ctx.epoch === 0 && ctx.step === 0) await run(ctx, 0);
    },
    async onEpochEnd(ctx, logs) {
      const done = logs.epoch + 1;
      if (done % every !== 0 && done !== ctx.epochs) return;
      const result = await run(ctx, done);
      Object.assign(logs.metrics, result.metrics);
    },
  };
}
