// pnpm bench train: one training step (batch 128 of 28 x 28 x 1 images; conv 3x3 32 + max-pool,
// conv 3x3 64 + max-pool, dense 128; semi-hard triplet loss with
// tripletMarginMiner({ typeOfTriplets: 'semihard' }); Adam) on wasm, with the cpu backend and,
// where python3-torch is installed, the same step in PyTorch (2 threads, written the way
// pytorch-metric-learning does it), side by side in the same run.
//
// The JS step is `fit`'s own: each step is timed from onBatchBegin to onBatchEnd inside a
// real `fit` run (batch gather, forward, mining, loss, backward, Adam update, loss read-back).
// Imports the BUILT packages: run `pnpm build` first.
// Usage: pnpm bench train [steps=20] (env BENCH_BACKENDS=wasm,cpu picks the backends).
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { initBackend } from '@emb/core';
import { tripletMarginLoss } from '@emb/losses';
import { mPerClassSampler, tripletMarginMiner } from '@emb/miners';
import * as tfl from '@tensorflow/tfjs-layers';
import { fit } from '../packages/train/dist/index.js';
import { findTorchPython, fmt, printTable, ratio, runPython, wasmThreads } from './lib.mjs';

const B = 128;
const PER_CLASS = 8;
const STEPS = Number(process.argv[2] ?? 20);
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'wasm,cpu').split(',');
// pytorch-metric-learning measured on this kind of machine (ms per step), from the issue.
const PML_REFERENCE_MS = 54.6;

function network() {
  const model = tfl.sequential();
  model.add(
    tfl.layers.conv2d({
      inputShape: [28, 28, 1],
      filters: 32,
      kernelSize: 3,
      activation: 'relu',
      kernelInitializer: tfl.initializers.heNormal({ seed: 1 }),
    }),
  );
  model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  model.add(
    tfl.layers.conv2d({
      filters: 64,
      kernelSize: 3,
      activation: 'relu',
      kernelInitializer: tfl.initializers.heNormal({ seed: 2 }),
    }),
  );
  model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tfl.layers.flatten());
  model.add(tfl.layers.dense({ units: 128, kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }) }));
  return model;
}

/** Median ms of `fit`'s steps (the first `warmup` steps are dropped). */
async function measure(steps, warmup = 3) {
  const n = B * (steps + warmup);
  const x = tf.randomNormal([n, 28, 28, 1], 0, 1, 'float32', 7);
  const labels = Int32Array.from({ length: n }, (_, i) => i % (n / PER_CLASS));
  const model = network();
  const times = [];
  let t0 = 0;
  let triplets = 0;
  await fit({
    model,
    data: { kind: 'labelled', x, labels },
    loss: tripletMarginLoss({ margin: 0.2 }),
    miner: tripletMarginMiner({ margin: 0.2, typeOfTriplets: 'semihard' }),
    sampler: mPerClassSampler({ m: PER_CLASS, batchSize: B }),
    optimizer: { name: 'adam', options: { learningRate: 1e-3 } },
    epochs: 1,
    seed: 1,
    callbacks: [
      {
        name: 'timer',
        onBatchBegin: () => {
          t0 = performance.now();
        },
        onBatchEnd: (_ctx, logs) => {
          times.push(performance.now() - t0);
          triplets += logs.miner?.numTriplets ?? 0;
        },
      },
    ],
  });
  model.dispose();
  x.dispose();
  const kept = times.slice(warmup).sort((a, b) => a - b);
  return { ms: kept[Math.floor(kept.length / 2)], steps: kept.length, triplets: Math.round(triplets / times.length) };
}

const results = {};
for (const backend of BACKENDS) {
  const info = await initBackend({ backend, quiet: true, threads: wasmThreads() });
  const conv =
    info.patches.includes('kernel:wasm:Conv2DBackpropFilter') ||
    backend === 'cpu' ||
    tf.getKernel('Conv2DBackpropFilter', 'wasm');
  if (!conv) {
    console.error(`${backend}: Conv2DBackpropFilter is missing; the CNN cannot train here yet`);
    continue;
  }
  console.error(`measuring fit steps on ${backend} (simd ${info.simd}, threads ${info.threads})...`);
  // The plain-JS cpu backend needs minutes per CNN step: one step, no warm-up.
  results[backend] = backend === 'cpu' ? await measure(1, 0) : await measure(STEPS);
}
const torch = findTorchPython();
if (torch) {
  console.error(`measuring PyTorch ${torch.version} (2 threads)...`);
  results.torch = runPython(torch.python, fileURLToPath(new URL('./train_torch.py', import.meta.url)), [
    String(B),
    String(PER_CLASS),
    String(STEPS),
  ]);
}

const w = results.wasm?.ms;
console.log(
  `\nmachine: ${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} (other work on the machine slows every column alike)`,
);
console.log(
  `one training step, ms (median), batch ${B} of 28x28x1, ${PER_CLASS} per class; semi-hard triplet; Adam. ratio = other / emb-wasm`,
);
const rows = [];
if (results.wasm)
  rows.push(['emb fit step, wasm', fmt(w), '1.00x', `${results.wasm.steps} steps, ${results.wasm.triplets} triplets/step`]);
if (results.cpu)
  rows.push(['emb fit step, cpu backend', fmt(results.cpu.ms), ratio(w, results.cpu.ms), `${results.cpu.steps} steps`]);
rows.push([
  'PyTorch (same run, 2 threads)',
  torch ? fmt(results.torch.step_ms) : 'n/a',
  torch ? ratio(w, results.torch.step_ms) : '-',
  torch ? `${results.torch.source}, torch ${results.torch.torch}` : 'python3-torch not installed',
]);
rows.push(['PML reference (issue)', fmt(PML_REFERENCE_MS), ratio(w, PML_REFERENCE_MS), 'measured with pytorch-metric-learning']);
printTable(['step', 'ms', 'ratio', 'note'], rows);
