import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../init-backend.js';

beforeAll(async () => {
  await initBackend();
});

/** [begin, end, strides, beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask] */
type Spec = [number[], number[], number[], number?, number?, number?, number?, number?];

const cases: Array<[string, number[], Spec]> = [
  ['a plain range', [6], [[1], [4], [1]]],
  ['a step of 2', [7], [[0], [7], [2]]],
  ['a negative step', [6], [[5], [0], [-2]]],
  ['negative indices', [6], [[-4], [-1], [1]]],
  ['begin and end masks on 2-D', [4, 5], [[1, 3], [3, 0], [1, -1], 2, 2]],
  // tfjs 4.22's forward pass is wrong for a shrink axis with a non-unit stride elsewhere
  // (it indexes the full-rank strides with the shrunk shape), so only unit strides here.
  ['a shrink axis', [4, 5], [[2, 1], [3, 4], [1, 1], 0, 0, 0, 0, 1]],
  ['a new axis', [4, 3], [[0, 0, 1], [4, 1, 3], [2, 1, 1], 0, 0, 0, 2]],
  ['an ellipsis', [2, 3, 4], [[0, 1], [1, 4], [1, 2], 0, 0, 1]],
];

describe('stridedSlice gradient', () => {
  for (const [name, shape, spec] of cases) {
    it(`places dy back at the sliced positions for ${name}`, () => {
      const size = shape.reduce((a, b) => a * b, 1);
      // Slicing x = [0, 1, 2, ...] returns the flat indices it selects: the expected gradient.
      const x = tf.tensor(
        Array.from({ length: size }, (_, i) => i),
        shape,
      );
      const picked = tf.stridedSlice(x, ...spec);
      const w = tf.tensor(
        Array.from({ length: picked.size }, (_, i) => i + 1),
        picked.shape,
      );
      const expected = new Float32Array(size);
      const pickedValues = picked.dataSync();
      const weights = w.dataSync();
      pickedValues.forEach((flat, k) => {
        expected[flat]! += weights[k]!;
      });
      const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.stridedSlice(x, ...spec), w)))(x);
      expect(g.shape).toEqual(shape);
      expect(Array.from(g.dataSync())).toEqual(Array.from(expected));
    });
  }
});
