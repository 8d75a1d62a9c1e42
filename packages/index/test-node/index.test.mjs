// Plain-node acceptance test for the built @emb/index (run `pnpm build` first): ESM
// resolution of the published dist, both entries, on the wasm backend.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { initBackend, isEmbError } from '@emb/core';
import { accuracyCalculator, exactIndex, exactIndexFromBytes, knnClassifier, verificationCurve } from '@emb/index';
import { loadIndex, saveIndex } from '@emb/index/node';
import * as tf from '@tensorflow/tfjs-core';

let dir;
before(async () => {
  await initBackend({ backend: 'wasm' });
  dir = await mkdtemp(join(tmpdir(), 'emb-index-node-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('exactIndex adds, searches, saves and loads under plain node without leaking tensors', async () => {
  const index = exactIndex({ dim: 2 });
  await index.add(
    [
      [0, 0],
      [1, 0],
      [5, 5],
    ],
    { ids: ['a', 'b', 'c'], labels: [1, 1, 2] },
  );
  const before = tf.memory().numTensors;
  const [n] = await index.search([[0.9, 0]], 2);
  assert.deepEqual(n.ids, ['b', 'a']);
  assert.ok(Math.abs(n.distances[0] - 0.1) < 1e-6);
  index.dispose();
  assert.equal(tf.memory().numTensors, before);
  const path = join(dir, 'i.embidx');
  await saveIndex(index, path);
  const loaded = await loadIndex(path, { dim: 2 });
  assert.deepEqual(loaded.get('c').label, 2);
  assert.equal((await knnClassifier(loaded, { k: 2 }).classify([[0.2, 0.1]]))[0].label, 1);
  const bytes = loaded.toBytes();
  bytes[60] ^= 1;
  assert.throws(
    () => exactIndexFromBytes(bytes),
    (e) => isEmbError(e, 'CORRUPT_FILE'),
  );
});

test('accuracyCalculator and verificationCurve run under plain node', async () => {
  const r = await accuracyCalculator({ include: ['precisionAt1', 'nmi'], k: 1 }).compute({
    query: [[0], [0.1], [10], [10.1]],
    queryLabels: [0, 0, 1, 1],
  });
  assert.equal(r.precisionAt1, 1);
  assert.equal(r.nmi, 1);
  assert.equal(verificationCurve({ scores: [0.1, 0.9], same: [true, false], kind: 'distance' }).auc, 1);
});
