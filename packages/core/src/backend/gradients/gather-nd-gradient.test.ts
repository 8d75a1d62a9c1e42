import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../init-backend.js';

describe.each(['wasm', 'cpu'] as const)('gatherND gradient on %s', (backend) => {
  beforeAll(async () => {
    if (backend === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
    await initBackend({ backend, quiet: true });
  });

  it('scatters dy back to the gathered elements and sums repeated indices', () => {
    const params = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
    const indices = tf.tensor2d(
      [
        [2, 1],
        [0, 0],
        [2, 1],
      ],
      [3, 2],
      'int32',
    );
    const w = tf.tensor1d([1, 10, 100]);
    const g = tf.grad((p: tf.Tensor) => tf.sum(tf.mul(tf.gatherND(p, indices), w)))(params);
    expect(g.arraySync()).toEqual([
      [10, 0],
      [0, 0],
      [0, 101],
    ]);
  });

  it('handles slice gathers (indices shorter than the rank)', () => {
    const params = tf.tensor3d(
      Array.from({ length: 12 }, (_, i) => i),
      [3, 2, 2],
    );
    const indices = tf.tensor2d([[1], [1], [0]], [3, 1], 'int32');
    const g = tf.grad((p: tf.Tensor) => tf.sum(tf.gatherND(p, indices)))(params);
    expect(g.arraySync()).toEqual([
      [
        [1, 1],
        [1, 1],
      ],
      [
        [2, 2],
        [2, 2],
      ],
      [
        [0, 0],
        [0, 0],
      ],
    ]);
  });
});
