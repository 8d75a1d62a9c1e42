// Plain-node test of initBackend({ threads }) against the built @emb/core: each case runs in its
// own process, because the thread count is fixed when the wasm backend first starts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

// Trains nothing: a conv, a matMul with a gradient, and prints the backend info and a
// checksum of the raw float bits, so any difference between thread counts shows.
const script = (threads) => `
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@emb/core';
const info = await initBackend({ threads: ${JSON.stringify(threads)} });
const x = tf.randomNormal([8, 28, 28, 4], 0, 1, 'float32', 1);
const f = tf.randomNormal([3, 3, 4, 16], 0, 1, 'float32', 2);
const a = tf.randomNormal([300, 200], 0, 1, 'float32', 3);
const g = tf.grad((m) => tf.sum(tf.square(tf.matMul(m, m, false, true))))(a);
const outs = [tf.conv2d(x, f, 1, 'same'), tf.matMul(a, a, true, false), g];
let sum = 0n;
for (const t of outs) for (const v of new Uint32Array((await t.data()).buffer)) sum = (sum * 31n + BigInt(v)) % 1000000007n;
console.log(JSON.stringify({ threads: info.threads, simd: info.simd, checksum: sum.toString() }));
`;

function run(threads) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script(threads)], {
    cwd: here,
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(r.status, 0, `threads ${threads}: exit ${r.status} ${r.signal ?? ''}\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

test('initBackend({ threads: 2 }) runs wasm on two threads, gives bit-identical results to one thread, and lets the process exit', () => {
  const one = run(1);
  const two = run(2);
  assert.deepEqual([one.threads, one.simd], [1, true]);
  assert.deepEqual([two.threads, two.simd], [2, true]);
  assert.equal(two.checksum, one.checksum);
});

test("initBackend({ threads: 'auto' }) uses the available cores, at most 4", async () => {
  const { availableParallelism } = await import('node:os');
  assert.equal(run('auto').threads, Math.min(4, availableParallelism()));
});
