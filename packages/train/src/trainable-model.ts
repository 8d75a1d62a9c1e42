import type * as tf from '@tensorflow/tfjs-core';

/** The `training` flag `fit` passes to `apply` (true while training, false to embed for evaluation). */
export interface ApplyOptions {
  readonly training?: boolean;
}

/**
 * A tfjs-layers model (`tf.sequential()`, `tf.model()`, a layer) as `fit` sees it:
 * `apply(x, { training })`, `trainableWeights` (whose `read()` gives the variables to
 * optimise) and `getWeights()` / `setWeights()` (every weight, batch-norm statistics
 * included, for checkpoints). Structural, so `@emb/train` does not depend on tfjs-layers.
 */
export interface LayersModelLike {
  apply(x: tf.Tensor, kwargs?: ApplyOptions): unknown;
  /** tfjs-layers' `LayerVariable`s; `read()` returns the underlying `tf.Variable` (typed as a Tensor by tfjs-layers). */
  readonly trainableWeights: readonly { read(): tf.Tensor }[];
  getWeights(): tf.Tensor[];
  setWeights(weights: tf.Tensor[]): void;
}

/**
 * Any embedding function with its variables: `apply(x)` returns [B, D] embeddings;
 * `trainableVariables` are optimised; `nonTrainableVariables` (optional) are saved in
 * checkpoints but not optimised.
 *
 * @example
 * const w = tf.variable(tf.randomNormal([16, 8], 0, 0.3, 'float32', 1));
 * const model: VariablesModel = { apply: (x) => tf.matMul(x as tf.Tensor2D, w), trainableVariables: [w] };
 */
export interface VariablesModel {
  apply(x: tf.Tensor, kwargs?: ApplyOptions): tf.Tensor;
  readonly trainableVariables: readonly tf.Variable[];
  readonly nonTrainableVariables?: readonly tf.Variable[];
}

/** What `fit` trains: a tfjs-layers model or a {@link VariablesModel}. */
export type TrainableModel = LayersModelLike | VariablesModel;
