export { type BrightnessOptions, brightness, brightnessOptions } from './brightness.js';
export type { Callback, CheckpointStore, EpochLogs, StepLogs, TrainingContext } from './callback.js';
export type { ComponentSpec } from './component-spec.js';
export { type Augmentation, composeAugmentations } from './compose-augmentations.js';
export { type CosineLrOptions, cosineLr } from './cosine-lr.js';
export { createOptimizer, type OptimizerName, type OptimizerOptionsByName, type OptimizerSpec } from './create-optimizer.js';
export {
  type CrossBatchMemory,
  type CrossBatchMemoryOptions,
  crossBatchMemory,
  crossBatchMemoryOptions,
} from './cross-batch-memory.js';
export { decodeSnapshot } from './decode-snapshot.js';
export { type EarlyStoppingOptions, earlyStopping } from './early-stopping.js';
export { encodeSnapshot, SNAPSHOT_FORMAT_VERSION, SNAPSHOT_MAGIC } from './encode-snapshot.js';
export { type EvaluateOptions, type EvaluationResult, type Evaluator, evaluate } from './evaluate.js';
export { type FitOptions, type FitResult, fit, type StopReason } from './fit.js';
export { type GaussianNoiseOptions, gaussianNoise, gaussianNoiseOptions } from './gaussian-noise.js';
export { type HorizontalFlipOptions, horizontalFlip, horizontalFlipOptions } from './horizontal-flip.js';
export { defineSchedule, type LearningRateSchedule, type ScheduleProgress } from './learning-rate-schedule.js';
export { type ProgressBarOptions, type ProgressStream, progressBar } from './progress-bar.js';
export { type RandomCropOptions, randomCrop, randomCropOptions } from './random-crop.js';
export { type StepLrOptions, stepLr } from './step-lr.js';
export type { ApplyOptions, LayersModelLike, TrainableModel, VariablesModel } from './trainable-model.js';
export type { LabelledData, PairData, TrainingData, TripletData, ViewsData } from './training-data.js';
export type { SnapshotTensor, SnapshotValue, TrainingSnapshot } from './training-snapshot.js';
export { type WarmupOptions, warmup } from './warmup.js';
