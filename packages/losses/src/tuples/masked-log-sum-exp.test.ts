import { initBackend } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maskedLogSumExp, rowLogSumExp } from '../index.js';

function lse(values: number[], weights: number[], addOne = false): number {
  const kept = values.filter((_, i) => (weights[i] as number) > 0);
  if (kept.length === 0) return 0;
  let s = addOne ? 1 : 0;
  values.forEach((x, i) => {
    s += (weights[i] as number) * Math.exp(x);
  });
  return Math.log(s);
}

describe.each(['wasm', 'cpu'] as const)('maskedLogSumExp on %s', (backend) => {
  beforeAll(async () => {
    if (backend === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
    await initBackend({ backend, quiet: true });
  });

  const x = [
    [0.5, -1, 2],
    [3, 0.25, -2],
  ];

  it('weights entries by keep (a 0/1 mask or counts) and gives 0 for a row with nothing kept', () => {
    const keep = [2, 0, 1, 0, 0, 0];
    for (const addOne of [false, true]) {
      const got = tf.tidy(() => Array.from(maskedLogSumExp(tf.tensor2d(x), keep, { addOne }).dataSync()));
      expect(got[0]).toBeCloseTo(lse(x[0] as number[], [2, 0, 1], addOne), 5);
      expect(got[1]).toBe(0);
    }
  });

  it('rowLogSumExp (deprecated) is maskedLogSumExp with weights plus the rows that had a weight', () => {
    const weights = Float32Array.of(2, 0, 1, 0, 0, 0);
    const got = tf.tidy(() => {
      const r = rowLogSumExp(tf.tensor2d(x), weights);
      return { value: Array.from(r.value.dataSync()), nonEmpty: Array.from(r.nonEmpty) };
    });
    const want = tf.tidy(() => Array.from(maskedLogSumExp(tf.tensor2d(x), weights).dataSync()));
    expect(got).toEqual({ value: want, nonEmpty: [1, 0] });
  });

  it('reduces columns with axis 0', () => {
    const keep = [1, 1, 0, 1, 0, 0];
    const got = tf.tidy(() => Array.from(maskedLogSumExp(tf.tensor2d(x), keep, { axis: 0, addOne: true }).dataSync()));
    expect(got[0]).toBeCloseTo(lse([0.5, 3], [1, 1], true), 5);
    expect(got[1]).toBeCloseTo(lse([-1, 0.25], [1, 0], true), 5);
    expect(got[2]).toBe(0);
  });

  it('gives dropped entries neither value nor gradient, and stays finite for huge logits', () => {
    const big = tf.tensor2d([
      [1000, 1e30, -1000],
      [-1e30, 5, 400],
    ]);
    const keep = [1, 0, 1, 0, 1, 1];
    const f = (t: tf.Tensor) => tf.sum(maskedLogSumExp(t as tf.Tensor2D, keep, { addOne: true }));
    const value = tf.tidy(() => f(big).dataSync()[0] as number);
    expect(value).toBeCloseTo(1000 + 400, 3);
    const g = tf.grad(f)(big);
    const grad = Array.from(g.dataSync());
    expect(grad.every(Number.isFinite)).toBe(true);
    expect(grad[1]).toBe(0);
    expect(grad[3]).toBe(0);
    expect(grad[0]).toBeCloseTo(1, 5);
    tf.dispose([big, g]);
  });
});
