// pnpm bench soak: a long training run on wasm (default 10,000 optimizer steps) that checks
// that nothing accumulates: tf.memory().numTensors must end where it stood after warm-up, and
// the process RSS and the WASM heap may drift only within a bound. A loss + miner + sampler
// run through `fit` (triplet margin loss, semi-hard triplet miner, m-per-class sampler, Adam)
// on a small tfjs-layers MLP over small synthetic inputs, so that it finishes in minutes.
//
// Prints a line every `every` steps and a summary; exits 1 when a bound is exceeded.
// Imports the BUILT packages: run `pnpm build` first.
// Usage: pnpm bench soak [steps=10000] [every=1000]
//   env SOAK_RSS_MB (RSS growth bound after warm-up, default 64), SOAK_BACKEND (default wasm).
import { cpus, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { initBackend } from '@emb/core';
import { tripletMarginLoss } from '@emb/losses';
import { mPerClassSampler, tripletMarginMiner } from '@emb/miners';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { fit } from '../packages/train/dist/index.js';
import { printTable } from './lib.mjs';

const STEPS = Number(process.argv[2] ?? 10_000);
const EVERY = Number(process.argv[3] ?? 1000);
const RSS_BOUND_MB = Number(process.env.SOAK_RSS_MB ?? 64);
const BACKEND = process.env.SOAK_BACKEND ?? 'wasm';
// Measurements before this step are warm-up (JIT, allocator and tfjs caches settling).
const WARMUP = Math.min(500, Math.floor(STEPS / 10));

const CLASSES = 32;
const PER_CLASS = 16;
const INPUT = 32;
const BATCH = 32;
const M = 4;

const mb = (bytes) => bytes / 2 ** 20;
// A full garbage collection before each sample, so RSS and heap show what is still reachable
// rather than how lazy the collector was (the flag can be set at run time).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
/** Bytes of the WASM memory (it only grows: a high-water mark of tensor storage). */
const wasmHeap = () => tf.backend()?.wasm?.HEAPU8?.buffer?.byteLength ?? 0;
const sample = (step, t0) => {
  gc();
  const m = tf.memory();
  return {
    wasmMB: mb(wasmHeap()),
    step,
    tensors: m.numTensors,
    // The WASM heap (tfjs' own accounting of live tensor bytes).
    tensorMB: mb(m.numBytes),
    rssMB: mb(process.memoryUsage().rss),
    heapMB: mb(process.memoryUsage().heapUsed),
    seconds: (performance.now() - t0) / 1000,
  };
};

const info = await initBackend({ backend: BACKEND, quiet: true });
console.error(
  `soak: ${STEPS} steps on ${info.backend} (simd ${info.simd}, threads ${info.threads}); ${cpus().length} cores, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);

// Gaussian classes in a few signal dimensions among noise dimensions (seeded, no data files).
let seed = 12345;
const rand = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
const n = CLASSES * PER_CLASS;
const data = new Float32Array(n * INPUT);
const labels = new Int32Array(n);
const means = Array.from({ length: CLASSES }, () => Float32Array.from({ length: 8 }, () => gauss() * 2));
for (let i = 0; i < n; i++) {
  const c = i % CLASSES;
  labels[i] = c;
  for (let d = 0; d < INPUT; d++) data[i * INPUT + d] = d < 8 ? means[c][d] + gauss() * 0.6 : gauss() * 2;
}
const x = tf.tensor2d(data, [n, INPUT]);

const model = tfl.sequential({
  layers: [
    tfl.layers.dense({
      inputShape: [INPUT],
      units: 64,
      activation: 'relu',
      kernelInitializer: tfl.initializers.heNormal({ seed: 1 }),
    }),
    tfl.layers.dense({ units: 16, kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
  ],
});

const stepsPerEpoch = n / BATCH;
const epochs = Math.ceil(STEPS / stepsPerEpoch);
const samples = [];
const t0 = performance.now();
const before = sample(0, t0);
let baseline;
const controller = new AbortController();
const result = await fit({
  model,
  data: { kind: 'labelled', x, labels },
  loss: tripletMarginLoss({ margin: 0.2 }),
  miner: tripletMarginMiner({ margin: 0.2, typeOfTriplets: 'semihard' }),
  sampler: mPerClassSampler({ m: M, batchSize: BATCH }),
  optimizer: { name: 'adam', options: { learningRate: 1e-3 } },
  epochs,
  seed: 1,
  signal: controller.signal,
  callbacks: [
    {
      name: 'soak-monitor',
      onBatchEnd: (_ctx, logs) => {
        if (logs.step === WARMUP) baseline = sample(logs.step, t0);
        if (logs.step % EVERY === 0 || logs.step === STEPS) {
          const s = { ...sample(logs.step, t0), loss: logs.loss };
          samples.push(s);
          console.error(
            `step ${s.step}: tensors ${s.tensors}, tensor MB ${s.tensorMB.toFixed(2)}, wasm memory ${s.wasmMB.toFixed(1)} MB, RSS ${s.rssMB.toFixed(1)} MB, JS heap ${s.heapMB.toFixed(1)} MB, loss ${s.loss.toFixed(4)}, ${s.seconds.toFixed(1)} s`,
          );
        }
        if (logs.step >= STEPS) controller.abort();
      },
    },
  ],
});
const end = sample(result.steps, t0);
model.dispose();
x.dispose();
const afterDispose = tf.memory().numTensors;
baseline ??= samples[0] ?? end;

const losses = result.history.stepLosses;
const meanOf = (a) => a.reduce((s, v) => s + v, 0) / Math.max(1, a.length);
const firstLoss = meanOf(losses.slice(0, 100));
const lastLoss = meanOf(losses.slice(-100));

console.log(
  `\nsoak: ${result.steps} steps of fit (triplet margin + semi-hard miner + m-per-class ${M}x${BATCH / M}, Adam) on ${info.backend}`,
);
printTable(
  ['point', 'step', 'tensors', 'tensor MB', 'wasm MB', 'RSS MB', 'JS heap MB', 'seconds'],
  [
    ['start', before, 0],
    ['after warm-up', baseline],
    ...samples.filter((s) => s.step !== baseline.step).map((s) => [`step ${s.step}`, s]),
    ['end', end],
  ].map(([name, s]) => [
    name,
    String(s.step),
    String(s.tensors),
    s.tensorMB.toFixed(2),
    s.wasmMB.toFixed(1),
    s.rssMB.toFixed(1),
    s.heapMB.toFixed(1),
    s.seconds.toFixed(1),
  ]),
);
// Drift is measured inside the run (last sample vs after warm-up): when fit returns it
// disposes the optimizer it created, so its slots leave the count then.
const last = samples[samples.length - 1] ?? end;
const tensorDrift = last.tensors - baseline.tensors;
const rssDrift = last.rssMB - baseline.rssMB;
const tensorBytesDrift = last.tensorMB - baseline.tensorMB;
console.log(
  `\nsteps ${result.steps}; tensors start ${before.tensors} / after warm-up ${baseline.tensors} / last step ${last.tensors} / after fit ${end.tensors} (after disposing model and data: ${afterDispose}); ` +
    `RSS start ${before.rssMB.toFixed(1)} MB / after warm-up ${baseline.rssMB.toFixed(1)} MB / end ${end.rssMB.toFixed(1)} MB; ` +
    `wall ${end.seconds.toFixed(1)} s (${((end.seconds * 1000) / Math.max(1, result.steps)).toFixed(2)} ms/step); ` +
    `loss ${firstLoss.toFixed(4)} (first 100 steps) -> ${lastLoss.toFixed(4)} (last 100)`,
);
const failures = [];
if (result.steps < STEPS) failures.push(`only ${result.steps} of ${STEPS} steps ran`);
if (tensorDrift !== 0) failures.push(`tensor count drifted by ${tensorDrift} after warm-up (must be 0)`);
if (end.tensors !== before.tensors) failures.push(`fit left ${end.tensors - before.tensors} tensors behind`);
if (afterDispose !== 0) failures.push(`${afterDispose} tensors outlived the model and data`);
if (Math.abs(tensorBytesDrift) > 1) failures.push(`live tensor bytes drifted by ${tensorBytesDrift.toFixed(2)} MB`);
if (rssDrift > RSS_BOUND_MB) failures.push(`RSS grew ${rssDrift.toFixed(1)} MB after warm-up (bound ${RSS_BOUND_MB} MB)`);
if (!losses.every(Number.isFinite)) failures.push('a step loss was not finite');
if (failures.length > 0) {
  console.log(`soak FAILED: ${failures.join('; ')}`);
  process.exit(1);
}
console.log(
  `soak passed: tensor drift ${tensorDrift}, tensor bytes drift ${tensorBytesDrift.toFixed(2)} MB, RSS drift ${rssDrift.toFixed(1)} MB (bound ${RSS_BOUND_MB} MB)`,
);
