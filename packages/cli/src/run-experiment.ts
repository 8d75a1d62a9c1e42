import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EmbError, initBackend, registry } from '@emb/core';
import { datasetToTensor } from '@emb/datasets';
import { exactIndex } from '@emb/index';
import { saveIndex } from '@emb/index/node';
import { lossesPlugin } from '@emb/losses';
import { minersPlugin } from '@emb/miners';
import { type ComponentSpec, evaluate, fit, type OptimizerSpec, progressBar } from '@emb/train';
import { jsonLinesLogger } from '@emb/train/node';
import type * as tf from '@tensorflow/tfjs-core';
import { buildModel } from './build-model.js';
import type { EmbConfig } from './emb-config.js';
import { embedItems } from './embed-items.js';
import { evaluateEmbedding } from './evaluate-embedding.js';
import { loadPlugins } from './load-plugins.js';
import { saveLayersModel } from './model-files.js';
import { prepareData } from './prepare-data.js';
import { metricLabel, writeReport } from './report/write-report.js';

/** Where a run writes, and how it talks. */
export interface RunOptions {
  /** The output folder (created). */
  readonly outDir: string;
  /** Folder that relative paths of the config (data, plugins) are resolved against. */
  readonly baseDir: string;
  /** Report title. */
  readonly title?: string;
  /** Prints a progress line. Default `console.log`. */
  readonly log?: (line: string) => void;
  /** Where the training progress bar writes. Default `process.stdout`. */
  readonly progress?: { write(text: string): unknown; readonly isTTY?: boolean };
}

/** What a run measured. */
export interface RunSummary {
  readonly outDir: string;
  readonly before: Readonly<Record<string, number>>;
  readonly after: Readonly<Record<string, number>>;
  readonly seconds: { readonly total: number; readonly training: number };
  readonly files: readonly string[];
}

type Spec = NonNullable<EmbConfig['loss']>;

/** valibot's optional output carries `options: undefined`; fit's specs want it absent. */
function toSpec(spec: Spec): ComponentSpec {
  return typeof spec === 'string'
    ? spec
    : spec.options === undefined
      ? { name: spec.name }
      : { name: spec.name, options: spec.options };
}

function toOptimizer(spec: EmbConfig['optimizer']): OptimizerSpec {
  return (typeof spec === 'string' ? spec : toSpec(spec)) as OptimizerSpec;
}

/** Installs emb's own registry entries (once) and the config's plugins. */
export async function setUpRegistry(config: EmbConfig, baseDir: string): Promise<void> {
  if (!registry.has('loss', 'triplet-margin')) registry.use(lossesPlugin);
  if (!registry.has('sampler', 'm-per-class')) registry.use(minersPlugin);
  await loadPlugins(config.plugins, baseDir, registry);
  // Validate component options now, before any data is loaded, with the config path in the message.
  const check = (kind: 'loss' | 'miner' | 'sampler', spec: Spec | null) => {
    if (spec === null) return;
    const { name, options } = typeof spec === 'string' ? { name: spec, options: undefined } : spec;
    try {
      registry.validate(kind, name, options ?? {});
    } catch (cause) {
      const message = (cause as Error).message;
      throw new EmbError((cause as EmbError).code ?? 'INVALID_OPTION', `config.${kind}: ${message}`, { field: kind }, { cause });
    }
  };
  check('loss', config.loss);
  check('miner', config.miner);
  if (config.sampler !== null) {
    // fit passes batchSize to samplers that accept it; validate the way it will be created.
    const s = typeof config.sampler === 'string' ? { name: config.sampler, options: {} } : config.sampler;
    try {
      registry.validate('sampler', s.name, { batchSize: config.batchSize, ...(s.options ?? {}) });
    } catch {
      check('sampler', config.sampler);
    }
  }
}

/**
 * One complete run of a config: load and split the data by class, build the network,
 * measure the untrained network on the held-out classes, train with `fit` (evaluating every
 * `eval.every` epochs, logging JSON lines, printing progress), measure again, enrol the
 * held-out examples into an exact index and classify the held-out queries through it, then
 * save everything into `outDir`: `emb.config.json` (the config, defaults filled in),
 * `model/` (model.json + weights.bin), `index.embidx`, `metrics.json`, `log.jsonl`, and the
 * report (`report.html`, `loss.svg`, `metrics.svg`, `projection-before.svg`, `projection.svg`).
 */
export async function runExperiment(config: EmbConfig, options: RunOptions): Promise<RunSummary> {
  const t0 = performance.now();
  const log = options.log ?? ((line: string) => console.log(line));
  const outDir = resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'emb.config.json'), `${JSON.stringify({ ...config, output: outDir }, null, 2)}\n`);

  const info = await initBackend({ backend: config.backend, threads: config.threads, quiet: true });
  log(`backend ${info.backend} (simd ${info.simd}, ${info.threads} thread${info.threads === 1 ? '' : 's'})`);
  await setUpRegistry(config, options.baseDir);

  const data = await prepareData(config, options.baseDir);
  const names = (cs: readonly number[]) => cs.map((c) => data.classNames?.[c] ?? String(c)).join(', ');
  log(`data ${data.source}: training on classes ${names(data.trainClasses)} (${data.train.size} images)`);
  log(
    `held out classes ${names(data.testClasses)}: ${data.queries.size} queries, ${data.enrol.size} enrolled examples (${config.eval.enrolPerClass} per class)`,
  );

  const model = await buildModel(config.model, data.train.itemShape, config.seed);
  log(`model ${config.model.kind}: ${model.countParams().toLocaleString('en-US')} parameters`);
  const evalOptions = { metrics: config.eval.metrics, k: config.eval.k };
  const before = await evaluateEmbedding(model, data, evalOptions);
  log(`untrained network on held-out classes: ${formatQuality(before.retrieval, before.knnAccuracy)}`);

  const x = datasetToTensor(data.train);
  const queryX = datasetToTensor(data.queries);
  const evaluator = evaluate({
    query: queryX,
    queryLabels: data.queries.labels,
    every: config.eval.every,
    include: config.eval.metrics,
  });
  const tTrain = performance.now();
  let result: Awaited<ReturnType<typeof fit>>;
  try {
    result = await fit({
      model,
      loss: toSpec(config.loss),
      ...(config.miner === null ? {} : { miner: toSpec(config.miner) }),
      ...(config.sampler === null ? {} : { sampler: toSpec(config.sampler) }),
      optimizer: toOptimizer(config.optimizer),
      epochs: config.epochs,
      batchSize: config.batchSize,
      data: { kind: 'labelled', x, labels: data.train.labels },
      callbacks: [
        evaluator,
        progressBar({ stream: options.progress ?? process.stdout, everySteps: 8 }),
        jsonLinesLogger(join(outDir, 'log.jsonl')),
      ],
      seed: config.seed,
    });
  } finally {
    (x as tf.Tensor).dispose();
    queryX.dispose();
  }
  const trainingSeconds = (performance.now() - tTrain) / 1000;
  log(`trained ${result.steps} steps (${result.completedEpochs} epochs) in ${trainingSeconds.toFixed(1)} s`);

  const after = await evaluateEmbedding(model, data, evalOptions);
  log(`trained network on held-out classes:   ${formatQuality(after.retrieval, after.knnAccuracy)}`);

  // The index: held-out classes enrolled by example, no retraining.
  await saveLayersModel(model, join(outDir, 'model'));
  const enrolled = embedItems(model, data.enrol.x, data.enrol.itemShape, { normalize: true });
  if (data.enrol.size > 0) {
    const index = exactIndex({ dim: enrolled.dim, distance: 'cosine' });
    await index.add(enrolled.vectors, {
      labels: data.enrol.labels,
      metadata: Array.from(data.enrol.labels, (l) => ({ className: data.classNames?.[l] ?? String(l) })),
    });
    await saveIndex(index, join(outDir, 'index.embidx'));
    index.dispose();
  }

  const beforeAll = { ...before.retrieval, knnAccuracy: before.knnAccuracy };
  const afterAll = { ...after.retrieval, knnAccuracy: after.knnAccuracy };
  const totalSeconds = (performance.now() - t0) / 1000;
  const evaluations = [
    { epoch: 0, metrics: before.retrieval },
    ...evaluator.results.map((r) => ({ epoch: r.epoch, metrics: r.metrics })),
  ];
  await writeFile(
    join(outDir, 'metrics.json'),
    `${JSON.stringify(
      {
        before: beforeAll,
        after: afterAll,
        evaluations,
        epochs: result.history.epochs,
        steps: result.steps,
        seconds: { total: totalSeconds, training: trainingSeconds },
        backend: { backend: info.backend, simd: info.simd, threads: info.threads },
        data: {
          source: data.source,
          trainClasses: data.trainClasses,
          testClasses: data.testClasses,
          train: data.train.size,
          queries: data.queries.size,
          enrolled: data.enrol.size,
        },
      },
      null,
      2,
    )}\n`,
  );
  const table = [
    ...Object.keys(after.retrieval).map((k) => ({
      name: `${metricLabel(k)} (retrieval)`,
      before: before.retrieval[k] ?? Number.NaN,
      after: after.retrieval[k] ?? Number.NaN,
    })),
    {
      name: `k-NN accuracy (index of ${config.eval.enrolPerClass} examples per class)`,
      before: before.knnAccuracy,
      after: after.knnAccuracy,
    },
  ];
  const files = await writeReport(outDir, {
    title: options.title ?? `emb run: ${data.source}`,
    summary: [
      `Trained on classes ${names(data.trainClasses)} (${data.train.size} images); evaluated on classes ${names(data.testClasses)}, never seen in training.`,
      `${result.steps} optimizer steps in ${result.completedEpochs} epochs, ${trainingSeconds.toFixed(1)} s of training, ${totalSeconds.toFixed(1)} s in all, on ${info.backend}${info.simd ? ' (SIMD)' : ''}.`,
      `Index: ${data.enrol.size} held-out examples enrolled without retraining; ${data.queries.size} held-out images classified through it by ${config.eval.k}-NN.`,
    ],
    table,
    stepLosses: result.history.stepLosses,
    stepsPerEpoch: result.history.epochs[0]?.steps ?? Math.max(1, result.steps),
    evaluations,
    projections: [
      {
        name: 'Held-out embeddings, untrained network',
        file: 'projection-before.svg',
        vectors: before.queryVectors,
        dim: before.dim,
      },
      { name: 'Held-out embeddings, trained network', file: 'projection.svg', vectors: after.queryVectors, dim: after.dim },
    ],
    labels: data.queries.labels,
    classNames: data.classNames,
    config,
  });
  model.dispose();
  return {
    outDir,
    before: beforeAll,
    after: afterAll,
    seconds: { total: totalSeconds, training: trainingSeconds },
    files: [
      'emb.config.json',
      'model/model.json',
      'model/weights.bin',
      ...(data.enrol.size > 0 ? ['index.embidx'] : []),
      'metrics.json',
      'log.jsonl',
      ...files,
    ],
  };
}

/** `precision@1 0.812  MAP@R 0.431  k-NN accuracy 0.874`. */
export function formatQuality(retrieval: Readonly<Record<string, number>>, knnAccuracy?: number): string {
  const parts = Object.entries(retrieval).map(([k, v]) => `${metricLabel(k)} ${v.toFixed(4)}`);
  if (knnAccuracy !== undefined && Number.isFinite(knnAccuracy)) parts.push(`k-NN accuracy ${knnAccuracy.toFixed(4)}`);
  return parts.join('  ');
}
