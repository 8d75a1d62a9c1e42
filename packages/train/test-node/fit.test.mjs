// Plain-node acceptance test for the built @emb/train (run `pnpm build` first): fit and the
// file checkpoints from the published entries, with the gradients only initBackend registered
// (tfjs-layers is not imported), and a main entry that stays free of Node built-ins.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createRng, initBackend } from '@emb/core';
import { tripletMarginLoss } from '@emb/losses';
import { fit } from '@emb/train';
import { checkpoint, loadCheckpoint } from '@emb/train/node';
import * as tf from '@tensorflow/tfjs-core';

const dir = mkdtempSync(join(tmpdir(), 'emb-train-node-'));
before(async () => {
  await initBackend({ quiet: true });
});
after(() => rmSync(dir, { recursive: true, force: true }));

function problem() {
  const rng = createRng(1);
  const n = 48;
  const x = tf.tensor2d(
    Float32Array.from({ length: n * 6 }, (_, i) => rng.normal() + (i % 6 === Math.floor(i / 6) % 4 ? 3 : 0)),
    [n, 6],
  );
  const labels = Int32Array.from({ length: n }, (_, i) => i % 4);
  return { x, labels };
}

function model(seed) {
  const rng = createRng(seed);
  const w = tf.variable(
    tf.tensor2d(
      Float32Array.from({ length: 6 * 4 }, () => rng.normal() * 0.5),
      [6, 4],
    ),
  );
  return { apply: (x) => tf.matMul(x, w), trainableVariables: [w] };
}

test('the main entry imports no Node built-ins (browser-safe); fs lives in @emb/train/node', () => {
  const main = readFileSync(fileURLToPath(new URL('../dist/index.js', import.meta.url)), 'utf8');
  assert.doesNotMatch(main, /from ["']node:/);
  const node = readFileSync(fileURLToPath(new URL('../dist/node.js', import.meta.url)), 'utf8');
  assert.match(node, /node:fs/);
});

test('fit trains under plain node and a checkpointed run resumes with the same losses', async () => {
  const { x, labels } = problem();
  const options = (m, epochs) => ({
    model: m,
    data: { kind: 'labelled', x, labels },
    loss: tripletMarginLoss(),
    optimizer: { name: 'adam', options: { learningRate: 0.05 } },
    batchSize: 16,
    epochs,
    seed: 3,
  });
  const full = await fit(options(model(2), 6));
  assert.ok(full.history.epochs[5].loss < full.history.epochs[0].loss);
  await fit({ ...options(model(2), 4), callbacks: [checkpoint({ dir })] });
  const saved = await loadCheckpoint(dir);
  assert.equal(saved.completedEpochs, 4);
  const resumed = await fit({ ...options(model(2), 6), callbacks: [checkpoint({ dir })], resumeFrom: dir });
  assert.deepEqual(resumed.history.stepLosses, full.history.stepLosses);
  x.dispose();
});
