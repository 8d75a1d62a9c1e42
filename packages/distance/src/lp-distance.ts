import { type Distance, parseOptions } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import * as v from 'valibot';
import { defineDistance } from './define-distance.js';
import { safeSqrt } from './safe-sqrt.js';
import { euclideanMatrix } from './squared-euclidean.js';

/** Options schema of {@link lpDistance} (PML `LpDistance`). */
export const lpDistanceOptions = v.strictObject({
  p: v.optional(v.union([v.pipe(v.number(), v.minValue(1), v.finite()), v.literal(Number.POSITIVE_INFINITY)]), 2),
  power: v.optional(v.pipe(v.number(), v.finite(), v.gtValue(0)), 1),
  normalizeEmbeddings: v.optional(v.boolean(), true),
});

export type LpDistanceOptions = v.InferInput<typeof lpDistanceOptions>;

// Rows per chunk for p != 2, so that a chunk's [rows, R, D] difference stays near 4M floats.
const CHUNK_ELEMENTS = 1 << 22;

function lpRows(query: tf.Tensor2D, ref: tf.Tensor2D, p: number): tf.Tensor2D {
  const [b, d] = query.shape;
  const r = ref.shape[0];
  const rows = Math.max(1, Math.floor(CHUNK_ELEMENTS / Math.max(1, r * d)));
  const parts: tf.Tensor2D[] = [];
  for (let start = 0; start < b; start += rows) {
    const size = Math.min(rows, b - start);
    parts.push(
      tf.tidy(() => {
        const q = tf.slice(query, [start, 0], [size, d]);
        const diff = tf.abs(tf.sub(tf.expandDims(q, 1), tf.expandDims(ref, 0)));
        if (p === 1) return tf.sum(diff, 2) as tf.Tensor2D;
        if (p === Number.POSITIVE_INFINITY) return tf.max(diff, 2) as tf.Tensor2D;
        return tf.pow(tf.sum(tf.pow(diff, p), 2), 1 / p) as tf.Tensor2D;
      }),
    );
  }
  return parts.length === 1 ? (parts[0] as tf.Tensor2D) : tf.concat(parts, 0);
}

/**
 * Lp distance (PML `LpDistance`): `||x - y||_p`, optionally on L2-normalised rows, raised
 * to `power`. For p = 2 the matrix uses the matMul identity (O(B x R) memory) and its
 * gradient is 0 at zero distance; other p are computed in row chunks.
 *
 * Options (PML defaults): `p = 2`, `power = 1`, `normalizeEmbeddings = true`.
 *
 * @example
 * const d = lpDistance({ normalizeEmbeddings: false });
 * d.pairwise(tf.tensor2d([[0, 0], [3, 4]])).print(); // [[0, 5], [5, 0]]
 */
export function lpDistance(options: LpDistanceOptions = {}): Distance {
  const o = parseOptions(lpDistanceOptions, options, "distance 'lp'");
  const { p, power } = o;
  const squaredL2 = p === 2 && power === 2;
  return defineDistance({
    name: 'lp',
    isInverted: false,
    normalizeEmbeddings: o.normalizeEmbeddings,
    // ||x-y||^2 is computed directly (no sqrt), which is both faster and smooth at 0.
    power: squaredL2 ? 1 : power,
    options: o,
    matrix(query, ref) {
      if (p === 2) return euclideanMatrix(query, ref, squaredL2);
      return lpRows(query, ref ?? query, p);
    },
    paired(query, ref) {
      const diff = tf.sub(query, ref);
      if (p === 2) {
        const d2 = tf.sum(tf.square(diff), 1) as tf.Tensor1D;
        return squaredL2 ? d2 : (safeSqrt(d2) as tf.Tensor1D);
      }
      const abs = tf.abs(diff);
      if (p === 1) return tf.sum(abs, 1) as tf.Tensor1D;
      if (p === Number.POSITIVE_INFINITY) return tf.max(abs, 1) as tf.Tensor1D;
      return tf.pow(tf.sum(tf.pow(abs, p), 1), 1 / p) as tf.Tensor1D;
    },
  });
}
