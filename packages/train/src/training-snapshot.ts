import type { RngState } from '@emb/core';
import type { EpochLogs } from './callback.js';

/**
 * A value a component or callback can keep in a snapshot: JSON values (non-finite numbers
 * allowed) and typed arrays, which are stored as binary.
 */
export type SnapshotValue =
  | null
  | boolean
  | number
  | string
  | Float32Array
  | Int32Array
  | Uint8Array
  | readonly SnapshotValue[]
  | { readonly [key: string]: SnapshotValue | undefined };

/** One saved tensor: its values, row-major. */
export interface SnapshotTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'int32' | 'bool';
  readonly data: Float32Array | Int32Array | Uint8Array;
}

/**
 * Everything needed to continue a run exactly where it stopped: model weights, optimizer
 * state (tfjs `getWeights()` plus its bias-correction variables), loss variables and state
 * (cross-batch memory), RNG states, the position in the epoch, callback state and the
 * history so far. `fit({ resumeFrom })` takes one (or a location a checkpoint store reads).
 * Encode it with `encodeSnapshot` (format documented there).
 */
export interface TrainingSnapshot {
  readonly format: 'emb-training-snapshot';
  readonly version: 1;
  /** ISO time of the snapshot. */
  readonly createdAt: string;
  readonly seed: number | string;
  /** Epochs fully done. */
  readonly completedEpochs: number;
  /** Batches done in the epoch after `completedEpochs` (0 at an epoch boundary). */
  readonly batchInEpoch: number;
  /** Optimizer steps done. */
  readonly step: number;
  /** RNG states by purpose (`sampler`, `samplerEpochStart`, `augment`, `miner`). */
  readonly rng: Readonly<Record<string, RngState>>;
  /** Model weights in the model's own order (`getWeights()` or the variables). */
  readonly model: readonly SnapshotTensor[];
  readonly optimizer: {
    /** tfjs class name (`'Adam'`, `'SGD'`, ...): a resume with another optimizer is refused. */
    readonly className: string;
    readonly learningRate: number;
    /** `optimizer.getWeights()`: the iteration count then the slots (moments, ...). */
    readonly weights: readonly SnapshotTensor[];
    /** Optimizer variables outside `getWeights()` (Adam's `accBeta1`, `accBeta2`), by property name. */
    readonly extra: readonly SnapshotTensor[];
  };
  /** `loss.variables` by key (proxies, beta, W). */
  readonly lossVariables: readonly SnapshotTensor[];
  /** State of a stateful loss (the cross-batch memory queue), if any. */
  readonly lossState: SnapshotValue;
  /** Callback states by callback name. */
  readonly callbacks: Readonly<Record<string, SnapshotValue>>;
  readonly history: {
    readonly epochs: readonly EpochLogs[];
    /** The loss of every step so far. */
    readonly stepLosses: Float32Array;
  };
  /** Free-form data the caller attached (run configuration, ...). */
  readonly meta: SnapshotValue;
}
