import { type LossTerm, type Reducer, specificationVersion } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import { zeroLoss } from './zero-loss.js';

/**
 * A partial reduction: the (differentiable) sum of the entries that count, and how many
 * counted. Losses that stream their terms in chunks (all triplets of a batch) combine
 * partials instead of materialising every term.
 */
export interface ReducerPartial {
  readonly numerator: tf.Scalar;
  readonly count: number;
}

/**
 * A {@link Reducer} that can also reduce in chunks: `partial` on each chunk of entries,
 * then `finish` once. `reduce(term)` is `finish([partial(term.losses)])`.
 */
export interface ChunkedReducer extends Reducer {
  /** Which entries count is decided from their values (read back; no gradient flows through the choice). */
  partial(losses: tf.Tensor1D): ReducerPartial;
  finish(partials: readonly ReducerPartial[], term: Pick<LossTerm, 'kind' | 'divisor'>, embeddings: tf.Tensor2D): tf.Scalar;
}

export interface ReducerDefinition {
  readonly name: string;
  readonly options: Readonly<Record<string, unknown>>;
  /** 0/1 weight per entry value: which entries count. `undefined` = all of them. */
  readonly select?: (value: number) => boolean;
  /** The final scalar from the summed numerator and count; return `null` for "nothing to reduce". */
  readonly combine: (numerator: tf.Scalar, count: number, term: Pick<LossTerm, 'kind' | 'divisor'>) => tf.Scalar | null;
}

function isChunked(r: Reducer): r is ChunkedReducer {
  return typeof (r as ChunkedReducer).partial === 'function' && typeof (r as ChunkedReducer).finish === 'function';
}

/** Builds a frozen {@link ChunkedReducer}: selection, already-reduced terms and the connected zero live here once. */
export function defineReducer(def: ReducerDefinition): ChunkedReducer & { readonly options: Readonly<Record<string, unknown>> } {
  const partial = (losses: tf.Tensor1D): ReducerPartial =>
    tf.tidy(() => {
      const select = def.select;
      if (!select) return { numerator: tf.sum(losses) as tf.Scalar, count: losses.size };
      const values = losses.dataSync();
      const weights = new Float32Array(values.length);
      let count = 0;
      for (let i = 0; i < values.length; i++) {
        if (select(values[i] as number)) {
          weights[i] = 1;
          count++;
        }
      }
      return { numerator: tf.sum(tf.mul(losses, tf.tensor1d(weights))) as tf.Scalar, count };
    });
  const finish: ChunkedReducer['finish'] = (partials, term, embeddings) =>
    tf.tidy(() => {
      const count = partials.reduce((n, p) => n + p.count, 0);
      if (partials.length === 0 || count === 0) return zeroLoss(embeddings);
      const numerator =
        partials.length === 1
          ? (partials[0] as ReducerPartial).numerator
          : (tf.addN(partials.map((p) => p.numerator)) as tf.Scalar);
      return def.combine(numerator, count, term) ?? zeroLoss(embeddings);
    });
  const reducer = {
    specificationVersion,
    name: def.name,
    options: Object.freeze({ ...def.options }),
    partial,
    finish,
    reduce(term: LossTerm, embeddings: tf.Tensor2D): tf.Scalar {
      return tf.tidy(() => {
        if (term.kind === 'already_reduced') {
          // PML passes already-reduced losses through unchanged (a plain number is "zero loss").
          const losses = term.losses;
          return losses.size === 1 ? (tf.add(tf.reshape(losses, []), zeroLoss(embeddings)) as tf.Scalar) : zeroLoss(embeddings);
        }
        const losses = term.losses.rank === 0 ? (tf.reshape(term.losses, [1]) as tf.Tensor1D) : (term.losses as tf.Tensor1D);
        if (losses.size === 0) return zeroLoss(embeddings);
        return finish([partial(losses)], term, embeddings);
      });
    },
  };
  return Object.freeze(reducer);
}

/** Reduces a term with any reducer: chunk-aware reducers directly, third-party ones through `reduce`. */
export function asChunked(reducer: Reducer): ChunkedReducer | null {
  return isChunked(reducer) ? reducer : null;
}
