import {
  createRng,
  EmbError,
  type IndicesTuple,
  type Loss,
  type Miner,
  type MinerStats,
  quote,
  type Registry,
  type RngState,
  type Sampler,
  registry as sharedRegistry,
} from '@emb/core';
import { createMinerStatsAccumulator } from '@emb/miners';
import * as tf from '@tensorflow/tfjs-core';
import type { Callback, CheckpointStore, EpochLogs, StepLogs, TrainingContext } from './callback.js';
import type { ComponentSpec } from './component-spec.js';
import { createOptimizer, getLearningRate, isOptimizer, type OptimizerSpec, setLearningRate } from './create-optimizer.js';
import { dataSource } from './internal/data-source.js';
import { modelAdapter } from './internal/model-adapter.js';
import { releaseTape } from './internal/release-tape.js';
import { resolveComponent } from './internal/resolve-component.js';
import { runHooks } from './internal/run-hooks.js';
import { readTensor, toTensor } from './internal/snapshot-tensors.js';
import type { TrainableModel } from './trainable-model.js';
import type { TrainingData } from './training-data.js';
import type { SnapshotTensor, SnapshotValue, TrainingSnapshot } from './training-snapshot.js';

/** What {@link fit} takes. */
export interface FitOptions {
  /** A tfjs-layers model, or `{ apply(x), trainableVariables }`. Its output is the [B, D] embedding. */
  readonly model: TrainableModel;
  /** A loss object (`tripletMarginLoss()`, `crossBatchMemory(...)`) or a registry spec (`'contrastive'`, `{ name, options }`). Its `variables` are optimised too. */
  readonly loss: Loss | ComponentSpec;
  /** Selects pairs/triplets in each batch (labelled or views data only). Default: none (the loss uses every pair/triplet). */
  readonly miner?: Miner | ComponentSpec | null;
  /** Forms the batches of labelled data (e.g. `{ name: 'm-per-class', options: { m: 4 } }`; `batchSize` is passed on). Default: shuffled chunks of `batchSize` rows. */
  readonly sampler?: Sampler | ComponentSpec | null;
  /** A tf optimizer, `'adam' | 'sgd' | 'rmsprop'`, or `{ name, options: { learningRate, ... } }`. Default Adam, learning rate 1e-3. */
  readonly optimizer?: tf.Optimizer | OptimizerSpec;
  /** Total epochs; a resumed run continues up to this many. */
  readonly epochs: number;
  /** Rows per batch (labelled, views), or comparisons per batch (triplets, pairs). Default 32. */
  readonly batchSize?: number;
  readonly data: TrainingData;
  readonly callbacks?: readonly Callback[];
  /** Every random choice (batches, augmentations, random miners created from a spec) follows it. */
  readonly seed: number | string;
  /** Stops training after the current step; `onTrainEnd` still runs (checkpoints save the position). */
  readonly signal?: AbortSignal;
  /** Continue a run: a snapshot, or a location read by a callback's `checkpointStore` (a directory with `checkpoint()` from `@emb/train/node`). */
  readonly resumeFrom?: string | TrainingSnapshot;
  /** Registry for component specs. Default: the shared `registry`. */
  readonly registry?: Registry;
  /** Stored in every snapshot (the run's configuration, say). */
  readonly meta?: SnapshotValue;
}

/** Why a run ended. */
export type StopReason = 'completed' | 'stopped' | 'aborted';

/** What {@link fit} resolves to. */
export interface FitResult {
  /** Epochs fully trained (resumed ones included). */
  readonly completedEpochs: number;
  /** Optimizer steps done (resumed ones included). */
  readonly steps: number;
  readonly stopReason: StopReason;
  /** The reason given to `ctx.stop(reason)`, when a callback stopped the run. */
  readonly stopMessage?: string;
  readonly history: {
    /** One entry per completed epoch (from the start of the run when resumed). */
    readonly epochs: readonly EpochLogs[];
    /** The loss of every step (from the start of the run when resumed). */
    readonly stepLosses: readonly number[];
  };
  /** The loss that was trained (created from the spec when one was given). */
  readonly loss: Loss;
}

interface Stateful {
  getState(): SnapshotValue;
  setState(state: SnapshotValue): void;
}
const isStateful = (x: unknown): x is Stateful =>
  x !== null &&
  typeof x === 'object' &&
  typeof (x as Stateful).getState === 'function' &&
  typeof (x as Stateful).setState === 'function';

function checkInteger(value: unknown, name: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new EmbError('INVALID_OPTION', `fit: '${name}' must be an integer >= ${min}, got ${quote(value)}.`, { option: name });
  }
  return value;
}

/**
 * `Rng.getState()` can return words as signed int32 (after `|` and `^`), which `setState`
 * refuses; the same 32 bits as unsigned give the identical stream.
 */
const unsigned = (state: RngState): RngState => state.map((x) => x >>> 0) as unknown as RngState;

function meanStats(stats: MinerStats & { calls: number }): MinerStats {
  const c = Math.max(1, stats.calls);
  return {
    numPositivePairs: stats.numPositivePairs / c,
    numNegativePairs: stats.numNegativePairs / c,
    numTriplets: stats.numTriplets / c,
    meanPositiveDistance: stats.meanPositiveDistance,
    meanNegativeDistance: stats.meanNegativeDistance,
  };
}

/**
 * Trains an embedding model: per step, a batch is drawn (sampler, shuffled comparisons or
 * augmented views), embedded, optionally mined, scored by the loss, and one optimizer step
 * updates the model's and the loss's variables (all in one `tf.tidy`: no tensor leaks).
 * Every random choice follows `seed`, each purpose on its own forked stream (`sampler`,
 * `augment`, `miner`), so a run replays exactly and resumes exactly from a snapshot.
 *
 * Four kinds of `data`, one loop: `'labelled'` rows with class labels, comparisons only
 * (`'triplets'`, `'pairs'`: the loss gets the batch's tuple as `indices`), and
 * self-supervised `'views'` (two augmentations of each row are a positive pair; use
 * `ntxentLoss`).
 *
 * Options: `model`, `loss`, `data`, `epochs`, `seed` (required); `miner = null`,
 * `sampler = null`, `optimizer = 'adam'` (lr 1e-3), `batchSize = 32`, `callbacks = []`,
 * `signal`, `resumeFrom`, `registry` (shared), `meta`.
 *
 * @throws {EmbError} `INVALID_OPTION` for bad options (quoted), `NON_FINITE` when the loss
 *   becomes NaN or infinite (lower the learning rate), resume errors (`SHAPE_MISMATCH`,
 *   `CORRUPT_FILE`, `NOT_FOUND`).
 * @example
 * registry.use(lossesPlugin); registry.use(minersPlugin);
 * const result = await fit({
 *   model, data: { kind: 'labelled', x, labels }, epochs: 5, seed: 1, batchSize: 128,
 *   loss: { name: 'triplet-margin', options: { margin: 0.2 } },
 *   miner: { name: 'triplet-margin', options: { margin: 0.2, typeOfTriplets: 'semihard' } },
 *   sampler: { name: 'm-per-class', options: { m: 4 } },
 *   optimizer: { name: 'adam', options: { learningRate: 1e-3 } },
 *   callbacks: [evaluate({ query, queryLabels }), progressBar()],
 * });
 */
export async function fit(options: FitOptions): Promise<FitResult> {
  // A loss that fit creates from a registry spec is the caller's only through the result, and
  // the optimizer fit creates is freed when training ends: when the run fails before either,
  // free them here (loss variables such as proxies, optimizer slots), or they would leak.
  const created: Created = { losses: [], optimizer: undefined };
  try {
    return await run(options, created);
  } catch (error) {
    for (const loss of created.losses) tf.dispose(Object.values(loss.variables));
    created.optimizer?.dispose();
    throw error;
  }
}

interface Created {
  readonly losses: Loss[];
  /** The optimizer fit created, until it is disposed. */
  optimizer: tf.Optimizer | undefined;
}

async function run(options: FitOptions, created: Created): Promise<FitResult> {
  if (options === null || typeof options !== 'object') {
    throw new EmbError(
      'INVALID_OPTION',
      `fit expects an options object { model, loss, data, epochs, seed, ... }, got ${quote(options)}.`,
    );
  }
  const epochs = checkInteger(options.epochs, 'epochs', 0);
  const batchSize = checkInteger(options.batchSize ?? 32, 'batchSize', 1);
  const seed = options.seed;
  if (!((typeof seed === 'number' && Number.isFinite(seed)) || typeof seed === 'string')) {
    throw new EmbError('INVALID_OPTION', `fit: 'seed' must be a finite number or a string, got ${quote(seed)}.`, {
      option: 'seed',
    });
  }
  const callbackList = options.callbacks ?? [];
  if (
    !Array.isArray(callbackList) ||
    callbackList.some((c) => c === null || typeof c !== 'object' || typeof c.name !== 'string')
  ) {
    throw new EmbError(
      'INVALID_OPTION',
      `fit: 'callbacks' must be an array of callback objects with a name, got ${quote(callbackList)}.`,
      {
        option: 'callbacks',
      },
    );
  }
  const callbacks = [...callbackList.filter((c) => !c.runLast), ...callbackList.filter((c) => c.runLast)];
  const statefulNames = new Set<string>();
  for (const cb of callbacks) {
    if (!cb.getState) continue;
    if (statefulNames.has(cb.name)) {
      throw new EmbError(
        'INVALID_OPTION',
        `fit: two callbacks keep state under the name ${quote(cb.name)}; give them distinct names.`,
        {
          option: 'callbacks',
        },
      );
    }
    statefulNames.add(cb.name);
  }

  const registry = options.registry ?? sharedRegistry;
  const root = createRng(seed);
  const rngs = { sampler: root.fork('sampler'), augment: root.fork('augment'), miner: root.fork('miner') };
  const loss = resolveComponent('loss', options.loss, registry);
  if (loss !== options.loss) created.losses.push(loss);
  const miner = options.miner == null ? null : resolveComponent('miner', options.miner, registry, { rng: rngs.miner });
  const sampler = options.sampler == null ? null : resolveComponent('sampler', options.sampler, registry, { batchSize });
  if (options.data?.kind === 'triplets' || options.data?.kind === 'pairs') {
    if (miner) {
      throw new EmbError(
        'INVALID_OPTION',
        `fit: a miner needs class labels, but data.kind is ${quote(options.data.kind)}: the comparisons are the tuples. Remove 'miner'.`,
        { option: 'miner' },
      );
    }
  }
  if (miner && 'lastMinerStats' in loss) {
    throw new EmbError(
      'INVALID_OPTION',
      "fit: give the miner to crossBatchMemory({ miner }) (it mines against the memory), not to fit's 'miner'.",
      {
        option: 'miner',
      },
    );
  }
  const source = dataSource(options.data, batchSize, sampler);
  const model = modelAdapter(options.model);
  const ownsOptimizer = !isOptimizer(options.optimizer);
  const optimizer = createOptimizer(options.optimizer ?? 'adam');
  if (ownsOptimizer) created.optimizer = optimizer;
  const baseLearningRate = getLearningRate(optimizer);
  const variables = [...model.trainableVariables(), ...Object.values(loss.variables).filter((v) => v.trainable)];
  const seen = new Set<string>();
  for (const v of variables) {
    if (seen.has(v.name)) {
      throw new EmbError(
        'INVALID_OPTION',
        `fit: the variable ${quote(v.name)} is listed twice among the model's and the loss's variables.`,
        {
          option: 'model',
        },
      );
    }
    seen.add(v.name);
  }
  const lossState = isStateful(loss) ? loss : null;

  // Run state (what a snapshot saves).
  let completedEpochs = 0;
  let batchInEpoch = 0;
  let step = 0;
  let samplerEpochStart: RngState = rngs.sampler.getState();
  const epochHistory: EpochLogs[] = [];
  const stepLosses: number[] = [];
  let epoch = 0;
  let plan: Int32Array[] | null = null;
  let batchesPerEpoch = 0;
  let totalSteps = 0;
  let stopRequested = false;
  let stopMessage: string | undefined;

  const snapshot = async (): Promise<TrainingSnapshot> => {
    const modelWeights = await Promise.all(model.weights().map((w) => readTensor(w.name, w.tensor)));
    const optimizerWeights: SnapshotTensor[] = [];
    for (const w of await optimizer.getWeights()) {
      optimizerWeights.push(await readTensor(w.name, w.tensor));
      // getWeights() makes a fresh tensor for the iteration count; the slots are the optimizer's own.
      if (!(w.tensor instanceof tf.Variable)) w.tensor.dispose();
    }
    const extra: SnapshotTensor[] = [];
    for (const [key, value] of Object.entries(optimizer)) {
      if (value instanceof tf.Variable) extra.push(await readTensor(key, value));
    }
    const lossVariables = await Promise.all(Object.entries(loss.variables).map(([key, v]) => readTensor(key, v)));
    const callbackStates: Record<string, SnapshotValue> = {};
    for (const cb of callbacks) if (cb.getState) callbackStates[cb.name] = cb.getState();
    return {
      format: 'emb-training-snapshot',
      version: 1,
      createdAt: new Date().toISOString(),
      seed,
      completedEpochs,
      batchInEpoch,
      step,
      rng: {
        sampler: unsigned(rngs.sampler.getState()),
        samplerEpochStart: unsigned(samplerEpochStart),
        augment: unsigned(rngs.augment.getState()),
        miner: unsigned(rngs.miner.getState()),
      },
      model: modelWeights,
      optimizer: {
        className: optimizer.getClassName(),
        learningRate: getLearningRate(optimizer),
        weights: optimizerWeights,
        extra,
      },
      lossVariables,
      lossState: lossState ? lossState.getState() : null,
      callbacks: callbackStates,
      history: {
        epochs: epochHistory.map((e) => ({ ...e, metrics: { ...e.metrics } })),
        stepLosses: Float32Array.from(stepLosses),
      },
      meta: options.meta ?? null,
    };
  };

  const restore = async (s: TrainingSnapshot): Promise<void> => {
    if (String(s.seed) !== String(seed)) {
      throw new EmbError(
        'INVALID_OPTION',
        `fit: the snapshot was made with seed ${quote(s.seed)} but this run has seed ${quote(seed)}; resume with the same seed.`,
        { option: 'seed' },
      );
    }
    const current = model.weights();
    if (current.length !== s.model.length) {
      throw new EmbError(
        'SHAPE_MISMATCH',
        `fit: cannot resume: the snapshot has ${s.model.length} model weights but the model has ${current.length}. Resume with the same architecture.`,
      );
    }
    const weights = s.model.map((w, i) => toTensor(w, current[i]?.tensor.shape, `model weight ${i} (${w.name})`));
    try {
      model.setWeights(weights);
    } finally {
      tf.dispose(weights);
    }
    for (const saved of s.lossVariables) {
      const v = loss.variables[saved.name];
      if (!v) {
        throw new EmbError(
          'SHAPE_MISMATCH',
          `fit: cannot resume: the snapshot has loss variable ${quote(saved.name)}, which ${quote(loss.name)} lacks.`,
        );
      }
      const t = toTensor(saved, v.shape, `loss variable ${saved.name}`);
      v.assign(t);
      t.dispose();
    }
    if (s.optimizer.className !== optimizer.getClassName()) {
      throw new EmbError(
        'INVALID_OPTION',
        `fit: the snapshot's optimizer is ${quote(s.optimizer.className)} but this run uses ${quote(optimizer.getClassName())}; resume with the same optimizer.`,
        { option: 'optimizer' },
      );
    }
    const optWeights = s.optimizer.weights.map((w) => ({ name: w.name, tensor: toTensor(w, undefined, w.name) }));
    try {
      await optimizer.setWeights(optWeights);
    } finally {
      tf.dispose(optWeights.map((w) => w.tensor));
    }
    for (const saved of s.optimizer.extra) {
      // Adam's setWeights recomputes accBeta as beta^(t+1); the saved product (what an
      // uninterrupted run holds) can differ in the last bit, so restore it exactly.
      const v = (optimizer as unknown as Record<string, unknown>)[saved.name];
      if (v instanceof tf.Variable) {
        const t = toTensor(saved, v.shape, `optimizer ${saved.name}`);
        v.assign(t);
        t.dispose();
      }
    }
    setLearningRate(optimizer, s.optimizer.learningRate);
    for (const [name, state] of Object.entries(s.rng)) {
      if (name in rngs) rngs[name as keyof typeof rngs].setState(state);
    }
    samplerEpochStart = s.rng.samplerEpochStart ?? rngs.sampler.getState();
    if (lossState && s.lossState !== null) lossState.setState(s.lossState);
    for (const cb of callbacks) {
      const state = s.callbacks[cb.name];
      if (cb.setState && state !== undefined) cb.setState(state);
    }
    completedEpochs = s.completedEpochs;
    batchInEpoch = s.batchInEpoch;
    step = s.step;
    epochHistory.push(...s.history.epochs.map((e) => ({ ...e, metrics: { ...e.metrics } })));
    stepLosses.push(...s.history.stepLosses);
    if (batchInEpoch > 0) {
      // Mid-epoch: rebuild the epoch's batches from the sampler state at its start.
      const resumeState = rngs.sampler.getState();
      rngs.sampler.setState(samplerEpochStart);
      plan = source.plan(rngs.sampler);
      rngs.sampler.setState(resumeState);
    }
  };

  const embed = (x: tf.Tensor, embedOptions: { readonly batchSize?: number } = {}): tf.Tensor2D => {
    const chunk = checkInteger(embedOptions.batchSize ?? 256, 'batchSize', 1);
    const n = x.shape[0] as number;
    const parts: tf.Tensor2D[] = [];
    try {
      for (let s = 0; s < n; s += chunk) {
        const size = Math.min(chunk, n - s);
        parts.push(
          tf.tidy(() => {
            const rows = tf.slice(x, [s, ...x.shape.slice(1).map(() => 0)], [size, ...x.shape.slice(1).map(() => -1)]);
            return model.embed(rows, false);
          }),
        );
      }
      if (parts.length === 1) return parts[0] as tf.Tensor2D;
      return tf.concat(parts, 0);
    } finally {
      if (parts.length > 1) tf.dispose(parts);
    }
  };

  const ctx: TrainingContext = {
    model: options.model,
    loss,
    optimizer,
    seed,
    epochs,
    get epoch() {
      return epoch;
    },
    get step() {
      return step;
    },
    get batchesPerEpoch() {
      return batchesPerEpoch;
    },
    get totalSteps() {
      return totalSteps;
    },
    baseLearningRate,
    get learningRate() {
      return getLearningRate(optimizer);
    },
    setLearningRate: (lr) => setLearningRate(optimizer, lr),
    embed,
    snapshot,
    stop(reason) {
      stopRequested = true;
      stopMessage = reason;
    },
    get stopRequested() {
      return stopRequested;
    },
  };

  const trainStep = (items: Int32Array): { value: number; stats: MinerStats | undefined; rows: number } => {
    let stats: MinerStats | undefined;
    let rows = 0;
    const value = tf.tidy(() => {
      const batch = source.make(items, rngs.augment);
      rows = batch.x.shape[0] as number;
      const { value, grads } = tf.variableGrads(() => {
        const embeddings = model.embed(batch.x, true);
        let indices: IndicesTuple | null = batch.indices;
        if (miner) {
          const mined = miner.mine({ embeddings, labels: batch.labels as Int32Array });
          stats = mined.stats;
          indices = mined;
        }
        return loss.compute({ embeddings, labels: batch.labels, indices });
      }, variables);
      // A fixed order, with zeros for variables the loss did not reach: tfjs optimizers
      // index their slots by position.
      optimizer.applyGradients(variables.map((v) => ({ name: v.name, tensor: grads[v.name] ?? tf.zerosLike(v) })));
      return value;
    });
    const out = (value.dataSync() as Float32Array)[0] as number;
    value.dispose();
    if (!miner) stats = (loss as { lastMinerStats?: MinerStats }).lastMinerStats;
    return { value: out, stats, rows };
  };

  const findStore = (): CheckpointStore => {
    const store = callbacks.find((c) => c.checkpointStore)?.checkpointStore;
    if (!store) {
      throw new EmbError(
        'INVALID_OPTION',
        `fit: resumeFrom ${quote(options.resumeFrom)} is a location, but no callback can read it. Add checkpoint({ dir }) from '@emb/train/node' to the callbacks, or pass resumeFrom: await loadCheckpoint(dir).`,
        { option: 'resumeFrom' },
      );
    }
    return store;
  };

  if (options.resumeFrom !== undefined) {
    const s = typeof options.resumeFrom === 'string' ? await findStore().load(options.resumeFrom) : options.resumeFrom;
    await restore(s);
  }

  const newEpochPlan = (): Int32Array[] => {
    samplerEpochStart = rngs.sampler.getState();
    return source.plan(rngs.sampler);
  };
  if (completedEpochs < epochs) {
    plan ??= newEpochPlan();
    batchesPerEpoch = plan.length;
    totalSteps = epochs * batchesPerEpoch;
  }
  epoch = completedEpochs;

  let aborted = false;
  const signal = options.signal;
  try {
    await runHooks(callbacks, 'onTrainBegin', ctx);
    while (epoch < epochs && !stopRequested && !aborted) {
      plan ??= newEpochPlan();
      const epochPlan: Int32Array[] = plan;
      batchesPerEpoch = epochPlan.length;
      await runHooks(callbacks, 'onEpochBegin', ctx);
      const accumulator = createMinerStatsAccumulator();
      const epochStartStep = step - batchInEpoch;
      let timeMs = 0;
      while (batchInEpoch < epochPlan.length) {
        if (signal?.aborted) {
          aborted = true;
          break;
        }
        await runHooks(callbacks, 'onBatchBegin', ctx);
        const learningRate = getLearningRate(optimizer);
        const t0 = performance.now();
        let stepResult: ReturnType<typeof trainStep>;
        try {
          stepResult = trainStep(epochPlan[batchInEpoch] as Int32Array);
        } catch (error) {
          releaseTape();
          throw error;
        }
        const { value, stats, rows } = stepResult;
        timeMs += performance.now() - t0;
        if (!Number.isFinite(value)) {
          throw new EmbError(
            'NON_FINITE',
            `fit: the loss became ${value} at epoch ${epoch}, step ${step + 1}. Lower the learning rate, check the inputs for NaN, or normalise the embeddings.`,
            { epoch, step: step + 1 },
          );
        }
        step++;
        const logs: StepLogs = {
          epoch,
          batch: batchInEpoch,
          step,
          loss: value,
          learningRate,
          rows,
          ...(stats ? { miner: stats } : {}),
        };
        batchInEpoch++;
        stepLosses.push(value);
        if (stats) accumulator.add(stats);
        await runHooks(callbacks, 'onBatchEnd', ctx, logs);
        if (stopRequested) break;
      }
      if (batchInEpoch < epochPlan.length) break; // stopped or aborted mid-epoch
      const losses = stepLosses.slice(epochStartStep);
      const summary = accumulator.summary();
      const logs: EpochLogs = {
        epoch,
        loss: losses.reduce((a, b) => a + b, 0) / Math.max(1, losses.length),
        steps: losses.length,
        learningRate: getLearningRate(optimizer),
        timeMs,
        ...(summary.calls > 0 ? { miner: meanStats(summary) } : {}),
        metrics: {},
      };
      completedEpochs = epoch + 1;
      batchInEpoch = 0;
      plan = null;
      epochHistory.push(logs);
      await runHooks(callbacks, 'onEpochEnd', ctx, logs);
      if (signal?.aborted) aborted = true;
      if (!stopRequested && !aborted) epoch++;
    }
    const result: FitResult = {
      completedEpochs,
      steps: step,
      stopReason: aborted ? 'aborted' : stopRequested ? 'stopped' : 'completed',
      ...(stopMessage !== undefined ? { stopMessage } : {}),
      history: { epochs: epochHistory, stepLosses },
      loss,
    };
    await runHooks(callbacks, 'onTrainEnd', ctx, result);
    return result;
  } finally {
    if (ownsOptimizer) {
      optimizer.dispose();
      created.optimizer = undefined;
    }
  }
}
