// pnpm bench losses: forward + backward time of the main losses at B = 128, 256, 512 (D = 128)
// on wasm, with the cpu backend and (where python3-torch is installed) PyTorch written the
// way pytorch-metric-learning computes them, side by side in the same run.
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { initBackend } from '@emb/core';
import { lpDistance } from '@emb/distance';
import * as losses from '@emb/losses';
import { findTorchPython, fmt, printTable, ratio, runPython, timeIt, wasmThreads } from './lib.mjs';

const SIZES = (process.env.BENCH_SIZES ?? '128,256,512').split(',').map(Number);
const D = 128;
const PER_CLASS = 8; // labels: B / 8 classes of 8 samples, as an m-per-class sampler gives
// PML's own timings on this kind of machine (ms, B = 128 / 256 / 512), from the issue.
const PML_REFERENCE = {
  'pairwise L2 (normalised)': [4.4, 4.3, 13.7],
  'triplet, all triplets': [9.1, 46, 310],
  contrastive: [2.7, 7.6, 18.7],
  'multi-similarity': [3.0, 8.4, 20.9],
};

const distance = lpDistance();
const cases = {
  'pairwise L2 (normalised)': (e) => tf.sum(distance.pairwise(e)),
  'triplet, all triplets': losses.tripletMarginLoss
    ? (
        (l) => (e, y) =>
          l.compute({ embeddings: e, labels: y })
      )(losses.tripletMarginLoss())
    : null,
  contrastive: losses.contrastiveLoss
    ? (
        (l) => (e, y) =>
          l.compute({ embeddings: e, labels: y })
      )(losses.contrastiveLoss())
    : null,
  margin: losses.marginLoss
    ? (
        (l) => (e, y) =>
          l.compute({ embeddings: e, labels: y })
      )(losses.marginLoss())
    : null,
  'multi-similarity': losses.multiSimilarityLoss
    ? (
        (l) => (e, y) =>
          l.compute({ embeddings: e, labels: y })
      )(losses.multiSimilarityLoss())
    : null,
};

function measure(backend) {
  const out = {};
  for (const [name, f] of Object.entries(cases)) {
    if (!f) continue;
    out[name] = SIZES.map((b) => {
      const e = tf.randomNormal([b, D], 0, 1, 'float32', 42);
      const y = Int32Array.from({ length: b }, (_, i) => Math.floor(i / PER_CLASS));
      const g = tf.grad((x) => f(x, y));
      // Read the gradient back outside tf.tidy: tidy walks a returned typed array element by element.
      const ms = timeIt(() => {
        const grad = tf.tidy(() => g(e));
        grad.dataSync();
        grad.dispose();
      });
      e.dispose();
      return ms;
    });
  }
  return out;
}

const results = {};
for (const backend of ['wasm', 'cpu']) {
  const info = await initBackend({ backend, quiet: true, threads: wasmThreads() });
  console.error(`measuring on ${backend} (simd ${info.simd}, threads ${info.threads})...`);
  results[backend] = measure(backend);
}
const torch = findTorchPython();
if (torch) {
  console.error(`measuring PyTorch ${torch.version} (2 threads)...`);
  results.torch = runPython(torch.python, fileURLToPath(new URL('./losses_torch.py', import.meta.url)), [
    SIZES.join(','),
    String(D),
    String(PER_CLASS),
  ]);
}

console.log(`\nforward + backward, ms (median), D = ${D}, ${PER_CLASS} samples per class; speed-up = other / emb-wasm`);
const header = ['loss', 'B', 'emb wasm', 'emb cpu', 'cpu/wasm', 'torch', 'torch/wasm', 'PML ref', 'PML ref/wasm'];
const rows = [];
for (const name of Object.keys(results.wasm)) {
  SIZES.forEach((b, i) => {
    const w = results.wasm[name][i];
    const c = results.cpu[name]?.[i];
    const t = results.torch?.[name]?.[i];
    const refIdx = [128, 256, 512].indexOf(b);
    const ref = refIdx >= 0 ? PML_REFERENCE[name]?.[refIdx] : undefined;
    rows.push([name, b, fmt(w), fmt(c), ratio(w, c), torch ? fmt(t) : 'n/a', ratio(w, t), fmt(ref), ratio(w, ref)]);
  });
}
printTable(header, rows);
if (!torch) console.log('\nPyTorch: not installed (apt-get install python3-torch to compare side by side)');
