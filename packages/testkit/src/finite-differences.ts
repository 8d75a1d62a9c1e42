import * as tf from '@tensorflow/tfjs-core';

/**
 * Central finite differences of a scalar function of a [N, D] tensor at a few coordinates,
 * for checking analytic gradients. Float32 arithmetic limits the accuracy to about
 * `1e-7 * |f| / eps`, so compare with a tolerance to match.
 */
export function finiteDifferences(
  f: (x: tf.Tensor2D) => tf.Scalar,
  x: tf.Tensor2D,
  coordinates: readonly (readonly [number, number])[],
  eps = 1e-2,
): number[] {
  const base = x.arraySync();
  return coordinates.map(([i, j]) => {
    const at = (delta: number) =>
      tf.tidy(() => {
        const copy = base.map((row) => row.slice());
        (copy[i] as number[])[j] = ((copy[i] as number[])[j] as number) + delta;
        return f(tf.tensor2d(copy)).dataSync()[0] as number;
      });
    return (at(eps) - at(-eps)) / (2 * eps);
  });
}
