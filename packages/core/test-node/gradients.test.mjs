// Plain-node acceptance test for the built @emb/core (run `pnpm --filter @emb/core build` first).
// tfjs-layers is deliberately NOT imported: it registers every gradient as a side effect, which
// would hide a broken gradient registration. Here only initBackend can have registered them.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { initBackend, stopGradient } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';

let info;
before(async () => {
  assert.equal(tf.getGradient('Add'), undefined, 'nothing registered gradients before initBackend');
  info = await initBackend();
});

const close = (actual, expected, tol = 1e-4) =>
  assert.ok(
    actual.length === expected.length && actual.every((v, i) => Math.abs(v - expected[i]) <= tol * (1 + Math.abs(expected[i]))),
    `expected ${JSON.stringify(Array.from(actual))} to be close to ${JSON.stringify(expected)}`,
  );

test('initBackend starts wasm with SIMD and one thread and registers tfjs-core gradients under plain node', () => {
  assert.equal(info.backend, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.equal(info.simd, true);
  assert.equal(info.threads, 1);
  assert.ok(info.patches.includes('gradients:tfjs-core'));
  for (const kernel of [
    tf.Add,
    tf.Sub,
    tf.Multiply,
    tf.RealDiv,
    tf.BatchMatMul,
    tf.Conv2D,
    tf.Relu,
    tf.Exp,
    tf.Log,
    tf.Sqrt,
    tf.Sum,
    tf.Max,
    tf.GatherV2,
    tf.Softmax,
  ]) {
    assert.ok(tf.getGradient(kernel), `gradient for ${kernel}`);
  }
});

test('tf.grad works for common ops: matMul (transposed), relu, logSumExp, sqrt, mean', () => {
  const x = tf.tensor2d([1, -2, 3, 4, 0.5, -1], [3, 2]);
  const f = (x) =>
    tf.add(tf.mean(tf.sqrt(tf.add(tf.square(x), 1))), tf.sum(tf.logSumExp(tf.relu(tf.matMul(x, x, false, true)), 1)));
  const g = tf.grad(f)(x);
  // Central differences on the same backend.
  const h = 1e-2;
  const base = x.dataSync();
  const numeric = Array.from(base, (_, i) => {
    const plus = base.slice();
    const minus = base.slice();
    plus[i] += h;
    minus[i] -= h;
    return (f(tf.tensor2d(plus, [3, 2])).dataSync()[0] - f(tf.tensor2d(minus, [3, 2])).dataSync()[0]) / (2 * h);
  });
  close(Array.from(g.dataSync()), numeric, 1e-2);
});

test('tf.grad flows through tf.gather (UnsortedSegmentSum), conv2d (Conv2DBackpropFilter) and comparisons on wasm', () => {
  const params = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
  const gGather = tf.grad((p) => tf.sum(tf.square(tf.gather(p, tf.tensor1d([2, 0, 2], 'int32')))))(params);
  close(Array.from(gGather.dataSync()), [2, 4, 0, 0, 20, 24]);

  const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 7);
  const w = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 8);
  const [dx, dw] = tf.grads((x, w) => tf.sum(tf.conv2d(x, w, 2, 'same')))([x, w]);
  assert.deepEqual(dx.shape, [2, 6, 6, 3]);
  assert.deepEqual(dw.shape, [3, 3, 3, 4]);

  const v = tf.tensor1d([-1, 2]);
  const gWhere = tf.grad((v) => tf.sum(tf.where(tf.greater(v, 0), tf.square(v), tf.mul(v, stopGradient(v)))))(v);
  close(Array.from(gWhere.dataSync()), [-1, 4]);
});

test('an optimizer trains a variable on wasm', () => {
  const target = tf.tensor1d([1, -2, 3]);
  const v = tf.variable(tf.zeros([3]));
  const optimizer = tf.train.adam(0.1);
  const loss = () => tf.sum(tf.square(tf.sub(v, target)));
  const first = loss().dataSync()[0];
  for (let i = 0; i < 50; i++) optimizer.minimize(loss);
  const last = loss().dataSync()[0];
  assert.ok(last < first / 10, `loss ${first} -> ${last}`);
});
