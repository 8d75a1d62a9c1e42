import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './init-backend.js';
import { stopGradient } from './stop-gradient.js';

beforeAll(async () => {
  await initBackend();
});

describe('stopGradient', () => {
  it('returns the same values', () => {
    const x = tf.tensor2d([1, -2, 3, 4], [2, 2]);
    const y = stopGradient(x);
    expect(y.shape).toEqual([2, 2]);
    expect(y.arraySync()).toEqual(x.arraySync());
  });

  it('blocks the gradient: d/dx (x * stopGradient(x)) is stopGradient(x), not 2x', () => {
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(x, stopGradient(x))))(tf.tensor1d([3, -1]));
    expect(Array.from(g.dataSync())).toEqual([3, -1]);
  });

  it('gives a zero gradient when it is the only path', () => {
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.square(stopGradient(x))))(tf.tensor1d([3, -1]));
    expect(Array.from(g.dataSync())).toEqual([0, 0]);
  });

  it('leaks no tensors inside tf.tidy', () => {
    const x = tf.tensor1d([1, 2]);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      tf.grad((x: tf.Tensor) => tf.sum(tf.mul(x, stopGradient(x))))(x);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
