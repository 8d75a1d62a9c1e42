import { EmbError, parseOptions, quote } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import * as v from 'valibot';

const rate = v.pipe(v.number(), v.finite(), v.gtValue(0));
const unit = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(1));

const adamOptions = v.strictObject({
  learningRate: v.optional(rate, 1e-3),
  beta1: v.optional(unit, 0.9),
  beta2: v.optional(unit, 0.999),
  epsilon: v.optional(rate, 1e-8),
});
const sgdOptions = v.strictObject({
  learningRate: v.optional(rate, 0.01),
  momentum: v.optional(unit, 0),
  nesterov: v.optional(v.boolean(), false),
});
const rmspropOptions = v.strictObject({
  learningRate: v.optional(rate, 0.01),
  alpha: v.optional(unit, 0.99),
  momentum: v.optional(unit, 0),
  epsilon: v.optional(rate, 1e-8),
  centered: v.optional(v.boolean(), false),
});

/** Optimizer names `fit` understands. */
export type OptimizerName = 'adam' | 'sgd' | 'rmsprop';

/** Options by optimizer name (PyTorch's names and defaults). */
export interface OptimizerOptionsByName {
  adam: v.InferInput<typeof adamOptions>;
  sgd: v.InferInput<typeof sgdOptions>;
  rmsprop: v.InferInput<typeof rmspropOptions>;
}

/** An optimizer by name, with options: `'adam'` or `{ name: 'adam', options: { learningRate: 1e-4 } }`. */
export type OptimizerSpec =
  | OptimizerName
  | { readonly [K in OptimizerName]: { readonly name: K; readonly options?: OptimizerOptionsByName[K] } }[OptimizerName];

const NAMES: readonly OptimizerName[] = ['adam', 'sgd', 'rmsprop'];

/**
 * A TensorFlow.js optimizer from a name and options, with PyTorch's option names and
 * defaults (what PML users pass to `torch.optim`):
 *
 * - `'adam'`: `learningRate = 1e-3`, `beta1 = 0.9`, `beta2 = 0.999`, `epsilon = 1e-8`.
 * - `'sgd'`: `learningRate = 0.01`, `momentum = 0`, `nesterov = false` (momentum > 0 uses
 *   `tf.train.momentum`, the same update as `torch.optim.SGD`).
 * - `'rmsprop'`: `learningRate = 0.01`, `alpha = 0.99` (tfjs's `decay`), `momentum = 0`,
 *   `epsilon = 1e-8`, `centered = false`. tfjs adds epsilon inside the square root.
 *
 * An optimizer instance is returned unchanged.
 *
 * @throws {EmbError} `INVALID_OPTION` for an unknown name or a bad option.
 * @example
 * const opt = createOptimizer({ name: 'adam', options: { learningRate: 1e-4 } });
 */
export function createOptimizer(spec: OptimizerSpec | tf.Optimizer): tf.Optimizer {
  if (isOptimizer(spec)) return spec;
  const name = typeof spec === 'string' ? spec : (spec as { name?: unknown } | null)?.name;
  const options = typeof spec === 'string' ? {} : ((spec as { options?: unknown }).options ?? {});
  switch (name) {
    case 'adam': {
      const o = parseOptions(adamOptions, options, "optimizer 'adam'");
      return tf.train.adam(o.learningRate, o.beta1, o.beta2, o.epsilon);
    }
    case 'sgd': {
      const o = parseOptions(sgdOptions, options, "optimizer 'sgd'");
      return o.momentum > 0 ? tf.train.momentum(o.learningRate, o.momentum, o.nesterov) : tf.train.sgd(o.learningRate);
    }
    case 'rmsprop': {
      const o = parseOptions(rmspropOptions, options, "optimizer 'rmsprop'");
      return tf.train.rmsprop(o.learningRate, o.alpha, o.momentum, o.epsilon, o.centered);
    }
    default:
      throw new EmbError(
        'INVALID_OPTION',
        `Unknown optimizer ${quote(name ?? spec)}; use one of ${NAMES.map((n) => `'${n}'`).join(', ')}, { name, options }, or a tf.Optimizer instance.`,
        { option: 'optimizer', known: NAMES },
      );
  }
}

/** Whether `x` is a tf optimizer (tfjs's own `instanceof` check reads properties of `x`, so guard null first). @internal */
export function isOptimizer(x: unknown): x is tf.Optimizer {
  return x !== null && typeof x === 'object' && x instanceof tf.Optimizer;
}

/** The learning rate an optimizer steps with. @internal */
export function getLearningRate(optimizer: tf.Optimizer): number {
  const lr = (optimizer as unknown as { learningRate?: unknown }).learningRate;
  if (typeof lr !== 'number') {
    throw new EmbError(
      'INVALID_OPTION',
      `fit: the optimizer ${quote(optimizer.getClassName())} has no numeric learningRate, which schedules and checkpoints need.`,
      { option: 'optimizer' },
    );
  }
  return lr;
}

/** Sets the learning rate of the next steps (tfjs's SGD caches it in a tensor, hence setLearningRate). @internal */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  if (!Number.isFinite(learningRate) || learningRate < 0) {
    throw new EmbError(
      'INVALID_ARGUMENT',
      `setLearningRate: the learning rate must be a finite number >= 0, got ${quote(learningRate)}.`,
    );
  }
  const o = optimizer as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
  if (o.learningRate === learningRate) return;
  if (typeof o.setLearningRate === 'function') o.setLearningRate(learningRate);
  else o.learningRate = learningRate;
}
