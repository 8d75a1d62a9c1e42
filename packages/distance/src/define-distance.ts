import { assertSameDim, type Distance, EmbError, quote, specificationVersion } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import { l2Normalize } from './l2-normalize.js';

/** What a concrete distance supplies to {@link defineDistance}. */
export interface DistanceDefinition {
  readonly name: string;
  readonly isInverted: boolean;
  readonly normalizeEmbeddings: boolean;
  readonly power: number;
  readonly options: Readonly<Record<string, unknown>>;
  /** The [B, R] matrix on already-normalised inputs, before `power`. `ref` undefined = self. */
  matrix(query: tf.Tensor2D, ref: tf.Tensor2D | undefined): tf.Tensor2D;
  /** Row-by-row values on already-normalised inputs, before `power`. */
  paired(query: tf.Tensor2D, ref: tf.Tensor2D): tf.Tensor1D;
}

function checkRank2(x: unknown, name: string): asserts x is tf.Tensor2D {
  const t = x as tf.Tensor;
  if (!t || typeof t !== 'object' || !Array.isArray(t.shape) || t.rank !== 2) {
    throw new EmbError(
      'SHAPE_MISMATCH',
      `${name} must be a [N, D] tensor, got ${quote(x)}. Wrap arrays with tf.tensor2d(rows).`,
      {
        name,
      },
    );
  }
  // Checked here, not deep inside a kernel: tfjs would otherwise fail on an int32 input with
  // a message naming an internal op ("Argument 'x' passed to 'sqrt' ...").
  if (t.dtype !== 'float32') {
    throw new EmbError('DTYPE_MISMATCH', `${name} must be float32, got ${quote(t.dtype)}. Convert with tf.cast(x, 'float32').`, {
      name,
      dtype: t.dtype,
    });
  }
}

function applyPower<T extends tf.Tensor>(x: T, power: number): T {
  return (power === 1 ? x : tf.pow(x, power)) as T;
}

/**
 * Builds a frozen {@link Distance} from a definition: normalisation, `power`, the shape
 * checks and the metric-agnostic helpers (`margin`, `smallest`, `largest`) live here once.
 */
export function defineDistance(def: DistanceDefinition): Distance {
  const normalize = (x: tf.Tensor2D): tf.Tensor2D => (def.normalizeEmbeddings ? l2Normalize(x) : x);
  const distance: Distance = {
    specificationVersion,
    name: def.name,
    isInverted: def.isInverted,
    normalizeEmbeddings: def.normalizeEmbeddings,
    power: def.power,
    options: Object.freeze({ ...def.options }),
    pairwise(query, ref) {
      checkRank2(query, 'query');
      if (ref !== undefined) {
        checkRank2(ref, 'ref');
        assertSameDim(query, ref, ['query', 'ref']);
      }
      return tf.tidy(() => {
        const q = normalize(query);
        const r = ref === undefined || ref === query ? undefined : normalize(ref);
        return applyPower(def.matrix(q, r), def.power);
      });
    },
    paired(query, ref) {
      checkRank2(query, 'query');
      checkRank2(ref, 'ref');
      if (query.shape[0] !== ref.shape[0]) {
        throw new EmbError(
          'SHAPE_MISMATCH',
          `paired() needs as many query rows as ref rows, got ${query.shape[0]} and ${ref.shape[0]}.`,
        );
      }
      assertSameDim(query, ref, ['query', 'ref']);
      return tf.tidy(() => applyPower(def.paired(normalize(query), normalize(ref)), def.power));
    },
    normalize,
    margin<T extends tf.Tensor>(x: T | number, y: T | number): T {
      return (def.isInverted ? tf.sub(y, x) : tf.sub(x, y)) as T;
    },
    smallest(x, axis) {
      return def.isInverted ? tf.max(x, axis) : tf.min(x, axis);
    },
    largest(x, axis) {
      return def.isInverted ? tf.min(x, axis) : tf.max(x, axis);
    },
  };
  return Object.freeze(distance);
}
