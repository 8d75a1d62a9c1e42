// Plain-node acceptance test for the built @emb/core with tfjs-layers: a small CNN trains on
// wasm (conv2d's filter gradient needs Conv2DBackpropFilter, which stock wasm lacks).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createRng, initBackend } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

before(async () => {
  await initBackend();
});

/** 8x8 images of a horizontal or a vertical bar, with label 0 or 1. */
function bars(n, seed) {
  const rng = createRng(seed);
  const rand = () => rng.next();
  const images = new Float32Array(n * 64);
  const labels = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const vertical = i % 2;
    const at = 1 + Math.floor(rand() * 6);
    for (let r = 0; r < 8; r++) {
      for (let c = 0; c < 8; c++) {
        const on = vertical ? c === at : r === at;
        images[i * 64 + r * 8 + c] = (on ? 1 : 0) + 0.1 * (rand() - 0.5);
      }
    }
    labels[i * 2 + vertical] = 1;
  }
  return { x: tf.tensor4d(images, [n, 8, 8, 1]), y: tf.tensor2d(labels, [n, 2]) };
}

test('a tfjs-layers CNN (conv2d, maxPool, flatten, dense) trains with model.fit on wasm and its loss falls', async () => {
  assert.equal(tf.getBackend(), 'wasm');
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({
        inputShape: [8, 8, 1],
        filters: 4,
        kernelSize: 3,
        strides: 1,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
      }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({
        filters: 4,
        kernelSize: 3,
        strides: 2,
        padding: 'valid',
        activation: 'relu',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }),
      }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy' });
  const { x, y } = bars(32, 42);
  const history = await model.fit(x, y, { epochs: 8, batchSize: 16, shuffle: false, verbose: 0 });
  const losses = history.history.loss;
  assert.ok(losses.every(Number.isFinite), `finite losses: ${losses}`);
  assert.ok(losses.at(-1) < losses[0] * 0.7, `loss should fall: ${losses.map((l) => l.toFixed(3)).join(' -> ')}`);
});

test('optimizer.minimize trains a conv2d filter on wasm directly', () => {
  const { x, y } = bars(16, 7);
  const w = tf.variable(tf.randomNormal([3, 3, 1, 2], 0, 0.3, 'float32', 5));
  const optimizer = tf.train.sgd(0.1);
  const loss = () => tf.losses.softmaxCrossEntropy(y, tf.mean(tf.conv2d(x, w, 1, 'same'), [1, 2]));
  const first = loss().dataSync()[0];
  for (let i = 0; i < 20; i++) optimizer.minimize(loss);
  const last = loss().dataSync()[0];
  assert.ok(last < first, `loss ${first} -> ${last}`);
});

test('tf.grad through tf.gather works on wasm', () => {
  const params = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
  const g = tf.grad((p) => tf.sum(tf.gather(p, tf.tensor1d([0, 0, 2], 'int32'))))(params);
  assert.deepEqual(Array.from(g.dataSync()), [2, 2, 0, 0, 1, 1]);
});
