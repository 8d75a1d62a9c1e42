import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../init-backend.js';

beforeAll(async () => {
  await initBackend();
});

describe('zero gradients for comparisons and logical ops', () => {
  it('tf.grad flows through tf.where(tf.greater(...)) and gives the comparison a zero gradient', () => {
    const x = tf.tensor1d([-2, -0.5, 0.5, 3]);
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.where(tf.greater(x, 0), tf.square(x), tf.mul(x, -1))))(x);
    expect(Array.from(g.dataSync())).toEqual([-1, -1, 1, 6]);
  });

  const binary: Array<[string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor]> = [
    ['equal', tf.equal],
    ['notEqual', tf.notEqual],
    ['greater', tf.greater],
    ['greaterEqual', tf.greaterEqual],
    ['less', tf.less],
    ['lessEqual', tf.lessEqual],
    ['logicalAnd', (a, b) => tf.logicalAnd(tf.greater(a, 0), tf.greater(b, 0))],
    ['logicalOr', (a, b) => tf.logicalOr(tf.greater(a, 0), tf.greater(b, 0))],
    ['logicalXor', (a, b) => tf.logicalXor(tf.greater(a, 0), tf.greater(b, 0))],
  ];
  for (const [name, op] of binary) {
    it(`${name} has a zero gradient for both inputs, broadcast shapes included`, () => {
      const a = tf.tensor2d([1, -2, 3, 0.5, 2, -1], [2, 3]);
      const b = tf.tensor1d([0.5, -2, 4]);
      const [ga, gb] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.cast(op(a, b), 'float32')))([a, b]);
      expect(ga!.shape).toEqual([2, 3]);
      expect(gb!.shape).toEqual([3]);
      expect(ga!.dtype).toBe('float32');
      expect(Array.from(ga!.dataSync()).every((v) => v === 0)).toBe(true);
      expect(Array.from(gb!.dataSync()).every((v) => v === 0)).toBe(true);
    });
  }

  const unary: Array<[string, (x: tf.Tensor) => tf.Tensor]> = [
    ['logicalNot', (x) => tf.logicalNot(tf.greater(x, 0))],
    ['isNaN', tf.isNaN],
    ['isFinite', tf.isFinite],
    ['isInf', tf.isInf],
    ['sign', tf.sign],
    ['floor', tf.floor],
    ['ceil', tf.ceil],
    ['round', tf.round],
    ['all', (x) => tf.all(tf.greater(x, 0))],
    ['any', (x) => tf.any(tf.greater(x, 0))],
  ];
  for (const [name, op] of unary) {
    it(`${name} has a zero gradient`, () => {
      const g = tf.grad((x: tf.Tensor) => tf.sum(tf.cast(op(x), 'float32')))(tf.tensor1d([1.5, -2.5, 0.25]));
      expect(Array.from(g.dataSync())).toEqual([0, 0, 0]);
    });
  }
});
