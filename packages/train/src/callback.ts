import type { Loss, MinerStats } from '@emb/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { FitResult } from './fit.js';
import type { TrainableModel } from './trainable-model.js';
import type { SnapshotValue, TrainingSnapshot } from './training-snapshot.js';

/** What `onBatchEnd` receives after each optimizer step. */
export interface StepLogs {
  /** The epoch this step belongs to (0-based). */
  readonly epoch: number;
  /** The step's position in its epoch (0-based). */
  readonly batch: number;
  /** Optimizer steps done so far, this one included (1-based, counts across resumes). */
  readonly step: number;
  /** The loss of this step's batch (before the update). */
  readonly loss: number;
  /** The learning rate the step used. */
  readonly learningRate: number;
  /** Rows embedded in this step (2 x batchSize for views). */
  readonly rows: number;
  /** The miner's statistics for this batch, when a miner ran (NaN means with no members). */
  readonly miner?: MinerStats;
}

/** What `onEpochEnd` receives; `metrics` is filled by callbacks such as `evaluate`. */
export interface EpochLogs {
  /** The epoch that just ended (0-based). */
  readonly epoch: number;
  /** Mean loss over the epoch's steps. */
  readonly loss: number;
  /** Steps in this epoch (fewer than planned when training stopped mid-epoch). */
  readonly steps: number;
  /** The learning rate of the epoch's last step. */
  readonly learningRate: number;
  /** Wall time of the epoch in ms (training steps only, not epoch-end callbacks). */
  readonly timeMs: number;
  /** Mean miner statistics over the epoch's steps (NaN where no step had members). */
  readonly miner?: MinerStats;
  /** Metrics added by callbacks (`precisionAt1`, `meanAveragePrecisionAtR`, ...). */
  readonly metrics: Record<string, number>;
}

/** The running training, as callbacks see it. */
export interface TrainingContext {
  readonly model: TrainableModel;
  readonly loss: Loss;
  readonly optimizer: tf.Optimizer;
  /** The seed the run follows. */
  readonly seed: number | string;
  /** Total epochs requested (the run ends after epoch `epochs - 1`). */
  readonly epochs: number;
  /** The current epoch (0-based); during `onEpochEnd`, the epoch that just ended. */
  readonly epoch: number;
  /** Optimizer steps done so far. */
  readonly step: number;
  /** Batches in the current epoch. */
  readonly batchesPerEpoch: number;
  /** Planned steps of the whole run (`epochs x batchesPerEpoch` of the first epoch). */
  readonly totalSteps: number;
  /** The learning rate the optimizer was created with (schedules scale it). */
  readonly baseLearningRate: number;
  /** The learning rate the next step will use. */
  readonly learningRate: number;
  /** Sets the learning rate of the next steps (what schedules call in `onBatchBegin`). */
  setLearningRate(learningRate: number): void;
  /** Embeds `x` with the model in inference mode, in chunks of `batchSize` rows (default 256). The caller disposes the result. */
  embed(x: tf.Tensor, options?: { readonly batchSize?: number }): tf.Tensor2D;
  /** Everything needed to resume this run exactly (weights, optimizer, loss, RNG and callback state). */
  snapshot(): Promise<TrainingSnapshot>;
  /** Asks `fit` to stop: after the current step (`onBatchEnd`) or at the end of the epoch (`onEpochEnd`). */
  stop(reason?: string): void;
  /** Whether `stop` was called. */
  readonly stopRequested: boolean;
}

/**
 * Hooks into `fit`. All hooks are optional and may be async; they run in the order of the
 * `callbacks` array, except that callbacks with `runLast: true` (checkpoints) run after the
 * others, so a checkpoint sees the metrics and early-stopping state of the same epoch.
 *
 * `getState` / `setState` make a callback's own state part of checkpoints (early stopping's
 * best value and patience counter, for instance), keyed by `name`.
 *
 * @example
 * const printLoss: Callback = { name: 'print-loss', onEpochEnd: (_ctx, logs) => console.log(logs.epoch, logs.loss) };
 */
export interface Callback {
  /** A stable name: the key of this callback's state in checkpoints. */
  readonly name: string;
  /** Run after the other callbacks in each hook (default false). */
  readonly runLast?: boolean;
  onTrainBegin?(ctx: TrainingContext): void | Promise<void>;
  onEpochBegin?(ctx: TrainingContext): void | Promise<void>;
  onBatchBegin?(ctx: TrainingContext): void | Promise<void>;
  onBatchEnd?(ctx: TrainingContext, logs: StepLogs): void | Promise<void>;
  onEpochEnd?(ctx: TrainingContext, logs: EpochLogs): void | Promise<void>;
  onTrainEnd?(ctx: TrainingContext, result: FitResult): void | Promise<void>;
  getState?(): SnapshotValue;
  setState?(state: SnapshotValue): void;
  /** Where `fit({ resumeFrom: '<dir>' })` reads a snapshot from (the `checkpoint` callback supplies one). */
  readonly checkpointStore?: CheckpointStore;
}

/** Reads and writes snapshots by location (a directory for `@emb/train/node`'s file store). */
export interface CheckpointStore {
  save(location: string, snapshot: TrainingSnapshot): Promise<void>;
  load(location: string): Promise<TrainingSnapshot>;
}
