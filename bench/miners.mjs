// pnpm bench miners: miner + loss, forward + backward, at B = 128, 256, 512 (D = 128) on wasm,
// with the cpu backend, PML's reference timings and (where python3-torch and
// pytorch-metric-learning are installed) PML itself, side by side in the same run.
// The miner runs outside the gradient (as PML's miners run under no_grad); the loss gets its
// output as `indices` and is differentiated with respect to the embeddings.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { initBackend } from '@emb/core';
import { marginLoss, multiSimilarityLoss, tripletMarginLoss } from '@emb/losses';
import { batchHardMiner, distanceWeightedMiner, multiSimilarityMiner, tripletMarginMiner } from '@emb/miners';
import { findTorchPython, fmt, printTable, ratio, runPython, timeIt, wasmThreads } from './lib.mjs';

/** Median and best wall time (ms) of `fn` after two warm-up runs (this machine is shared: the best is the less noisy). */
function timeBoth(fn, runs = 9) {
  fn();
  fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], best: times[0] };
}

const SIZES = (process.env.BENCH_SIZES ?? '128,256,512').split(',').map(Number);
const D = 128;
const PER_CLASS = 8; // labels: B / 8 classes of 8 samples, as an m-per-class sampler gives
// pytorch-metric-learning 2.8.1 measured on this kind of machine (ms, B = 128 / 256 / 512), from the issue.
const PML_REFERENCE = {
  'semi-hard + triplet': [11.2, 51, 318],
  'batch-hard + triplet': [3.8, 10.1, 25.6],
  'distance-weighted + margin': [10.8, 33, 128],
  'multi-similarity miner + loss': [5.2, 12.7, 39.5],
};
// Targets at B = 512: how many times faster than PML's reference each pipeline must be.
const TARGET_SPEEDUP = {
  'semi-hard + triplet': 10,
  'batch-hard + triplet': 1,
  'distance-weighted + margin': 2,
  'multi-similarity miner + loss': 1,
};

const cases = {
  'semi-hard + triplet': () => [
    tripletMarginMiner({ margin: 0.2, typeOfTriplets: 'semihard' }),
    tripletMarginLoss({ margin: 0.2 }),
  ],
  'batch-hard + triplet': () => [batchHardMiner(), tripletMarginLoss({ margin: 0.2 })],
  'distance-weighted + margin': () => [distanceWeightedMiner({ seed: 0 }), marginLoss()],
  'multi-similarity miner + loss': () => [multiSimilarityMiner(), multiSimilarityLoss()],
};

/** Median times of miner + loss (and, with `withBreakdown`, of each half alone) per size. */
function measure(withBreakdown) {
  const totals = {};
  const parts = {};
  const counts = {};
  for (const [name, make] of Object.entries(cases)) {
    const [miner, loss] = make();
    totals[name] = [];
    parts[name] = [];
    counts[name] = [];
    for (const b of SIZES) {
      const e = tf.randomNormal([b, D], 0, 1, 'float32', 42);
      const y = Int32Array.from({ length: b }, (_, i) => Math.floor(i / PER_CLASS));
      const grad = (indices) => tf.grad((x) => loss.compute({ embeddings: x, labels: y, indices }));
      // Nothing is returned from tf.tidy: it would walk a returned typed array element by
      // element looking for tensors, which costs more than the work measured here.
      const step = () =>
        tf.tidy(() => {
          const indices = miner.mine({ embeddings: e, labels: y });
          grad(indices)(e).dataSync();
        });
      totals[name].push(timeBoth(step));
      const mined = miner.mine({ embeddings: e, labels: y });
      counts[name].push(mined.stats.numTriplets || mined.stats.numPositivePairs + mined.stats.numNegativePairs);
      if (withBreakdown) {
        const mineMs = timeIt(() => miner.mine({ embeddings: e, labels: y }));
        const lossMs = timeIt(() =>
          tf.tidy(() => {
            grad(mined)(e).dataSync();
          }),
        );
        parts[name].push([mineMs, lossMs]);
      }
      e.dispose();
    }
  }
  return { totals, parts, counts };
}

const results = {};
let breakdown;
let best;
for (const backend of ['wasm', 'cpu']) {
  const info = await initBackend({ backend, quiet: true, threads: wasmThreads() });
  console.error(`measuring on ${backend} (simd ${info.simd})...`);
  const m = measure(backend === 'wasm');
  results[backend] = Object.fromEntries(Object.entries(m.totals).map(([k, v]) => [k, v.map((t) => t.median)]));
  if (backend === 'wasm') best = Object.fromEntries(Object.entries(m.totals).map(([k, v]) => [k, v.map((t) => t.best)]));
  if (backend === 'wasm') breakdown = m;
}
const torch = findTorchPython();
let torchNote = 'torch not installed';
if (torch) {
  console.error(`measuring PyTorch ${torch.version} (2 threads)...`);
  results.torch = runPython(torch.python, fileURLToPath(new URL('./miners_torch.py', import.meta.url)), [
    SIZES.join(','),
    String(D),
    String(PER_CLASS),
  ]);
  torchNote = `torch ${torch.version}: ${results.torch.source}`;
}

console.log(`\nminer + loss, forward + backward, ms (median), D = ${D}, ${PER_CLASS} samples per class`);
console.log('mine / loss f+b: the two halves of the emb wasm total, timed alone (medians); wasm best: fastest run of the total;');
console.log('ratios = other / emb wasm total (median)');
const header = [
  'pipeline',
  'B',
  'tuples',
  'mine',
  'loss f+b',
  'emb wasm',
  'wasm best',
  'emb cpu',
  'cpu/wasm',
  'torch',
  'torch/wasm',
  'PML ref',
  'PML/wasm',
  'target',
];
const rows = [];
for (const name of Object.keys(cases)) {
  SIZES.forEach((b, i) => {
    const w = results.wasm[name][i];
    const c = results.cpu[name]?.[i];
    const t = results.torch?.[name]?.[i];
    const [mineMs, lossMs] = breakdown.parts[name][i];
    const refIdx = [128, 256, 512].indexOf(b);
    const ref = refIdx >= 0 ? PML_REFERENCE[name][refIdx] : undefined;
    const target = b === 512 ? `>= ${TARGET_SPEEDUP[name]}x: ${ref / w >= TARGET_SPEEDUP[name] ? 'met' : 'missed'}` : '';
    const row = [name, b, breakdown.counts[name][i], fmt(mineMs), fmt(lossMs), fmt(w), fmt(best[name][i]), fmt(c), ratio(w, c)];
    rows.push([...row, results.torch ? fmt(t) : 'n/a', ratio(w, t), fmt(ref), ratio(w, ref), target]);
  });
}
printTable(header, rows);
if (torchNote) console.log(`\nPyTorch: ${torchNote}`);
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`load average at the end of the run: ${load} (${cpus().length} cores)`);
