import { EmbError, quote } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import type { TrainableModel, VariablesModel } from '../trainable-model.js';

/** A uniform view of a {@link TrainableModel}. @internal */
export interface ModelAdapter {
  /** Variables the optimizer updates, in a fixed order. */
  trainableVariables(): tf.Variable[];
  /** [B, D] embeddings. */
  embed(x: tf.Tensor, training: boolean): tf.Tensor2D;
  /** Every weight (for checkpoints), as tensors owned by the model (do not dispose). */
  weights(): { name: string; tensor: tf.Tensor }[];
  /** Overwrites every weight, in the order of {@link ModelAdapter.weights}. */
  setWeights(values: tf.Tensor[]): void;
}

function isVariablesModel(model: TrainableModel): model is VariablesModel {
  return Array.isArray((model as VariablesModel).trainableVariables);
}

/** @internal */
export function modelAdapter(model: TrainableModel): ModelAdapter {
  if (model === null || typeof model !== 'object' || typeof (model as { apply?: unknown }).apply !== 'function') {
    throw new EmbError(
      'INVALID_OPTION',
      `fit: 'model' must be a tfjs-layers model or { apply(x), trainableVariables }, got ${quote(model)}.`,
      { option: 'model' },
    );
  }
  const embed = (x: tf.Tensor, training: boolean): tf.Tensor2D => {
    const out = model.apply(x, { training });
    if (!(out instanceof tf.Tensor)) {
      throw new EmbError(
        'INVALID_OPTION',
        `fit: model.apply(x) must return one tensor of embeddings [B, D], got ${quote(out)}. A model with several outputs needs a wrapper that picks the embedding.`,
        { option: 'model' },
      );
    }
    if (out.rank !== 2 || out.shape[0] !== x.shape[0]) {
      throw new EmbError(
        'SHAPE_MISMATCH',
        `fit: model.apply(x) must return embeddings of shape [B, D] with B = ${x.shape[0]}, got ${quote(out.shape)}. End the model with a flatten/dense layer.`,
        { shape: out.shape },
      );
    }
    return out as tf.Tensor2D;
  };
  if (isVariablesModel(model)) {
    const all = () => [...model.trainableVariables, ...(model.nonTrainableVariables ?? [])];
    return {
      trainableVariables: () => [...model.trainableVariables],
      embed,
      weights: () => all().map((v) => ({ name: v.name, tensor: v })),
      setWeights: (values) => {
        all().forEach((v, i) => {
          v.assign(values[i] as tf.Tensor);
        });
      },
    };
  }
  const layers = model as Exclude<TrainableModel, VariablesModel>;
  if (!Array.isArray(layers.trainableWeights) || typeof layers.getWeights !== 'function') {
    throw new EmbError(
      'INVALID_OPTION',
      "fit: 'model' has no trainable variables: pass a tfjs-layers model (with trainableWeights) or { apply(x), trainableVariables: tf.Variable[] }.",
      { option: 'model' },
    );
  }
  return {
    trainableVariables: () =>
      layers.trainableWeights.map((w) => {
        const v = w.read();
        if (!(v instanceof tf.Variable)) {
          throw new EmbError('INVALID_OPTION', `fit: a trainable weight of the model is not a tf.Variable (got ${quote(v)}).`, {
            option: 'model',
          });
        }
        return v;
      }),
    embed,
    weights: () => layers.getWeights().map((tensor, i) => ({ name: `weight_${i}`, tensor })),
    setWeights: (values) => layers.setWeights(values),
  };
}
