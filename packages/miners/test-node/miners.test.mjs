// Plain-node acceptance test for the built @emb/miners (run `pnpm --filter @emb/miners build`
// first): the published ESM resolves, miners and samplers work, the register entry installs.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createRng, initBackend, registry } from '@emb/core';
import { batchHardMiner, mPerClassSampler, tripletMarginMiner } from '@emb/miners';
import * as tf from '@tensorflow/tfjs-core';

before(async () => {
  await initBackend({ quiet: true });
});

const embeddings = () =>
  tf.tensor2d([
    [1, 0],
    [0.8, 0.6],
    [0, 1],
    [-1, 0.2],
    [-0.6, -0.8],
    [0.1, -1],
  ]);
const labels = [0, 0, 1, 1, 2, 2];

test('batchHardMiner returns one triplet per anchor from the built package', () => {
  const e = embeddings();
  const out = batchHardMiner().mine({ embeddings: e, labels });
  assert.equal(out.kind, 'triplets');
  assert.deepEqual(Array.from(out.anchors), [0, 1, 2, 3, 4, 5]);
  assert.equal(out.stats.numTriplets, 6);
  e.dispose();
});

test('semi-hard mining inside tf.grad leaves no tensors behind', () => {
  const e = embeddings();
  const before = tf.memory().numTensors;
  const miner = tripletMarginMiner({ margin: 0.5, typeOfTriplets: 'semihard' });
  const g = tf.grad((x) => {
    miner.mine({ embeddings: x, labels });
    return tf.sum(tf.square(x));
  })(e);
  g.dispose();
  assert.equal(tf.memory().numTensors, before);
  e.dispose();
});

test('mPerClassSampler gives the same batches for the same seed', () => {
  const sampler = mPerClassSampler({ m: 2, batchSize: 4 });
  const a = sampler.epoch(labels, createRng(1));
  assert.deepEqual(sampler.epoch(labels, createRng(1)), a);
  assert.equal(new Set(a.flatMap((b) => Array.from(b))).size, labels.length);
});

test('@emb/miners/register installs the miners in the shared registry', async () => {
  await import('@emb/miners/register');
  const miner = registry.create('miner', 'triplet-margin', { typeOfTriplets: 'hard' });
  assert.equal(miner.name, 'triplet-margin');
  assert.ok(registry.has('sampler', 'm-per-class'));
});
