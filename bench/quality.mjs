// pnpm bench quality: the class-disjoint Fashion-MNIST quality protocol of issue 11, in emb,
// with pytorch-metric-learning's run of the same protocol (bench/quality_pml.py) beside it.
//
// Protocol: train split, classes 0-4 (30,000 images); test split, classes 5-9 (5,000 images),
// self-retrieval (each test image queries the other 4,999); conv 3x3 32 (ReLU) + 2x2 max-pool,
// conv 3x3 64 (ReLU) + 2x2 max-pool, dense 128 (valid padding; Glorot-uniform kernels, zero
// biases: tfjs-layers' defaults; the PyTorch peer loads these very initial weights); Adam lr 1e-3; batches of 128
// from mPerClassSampler({ m: 32 }) (4 classes of 32: with 5 training classes and m dividing
// 128, m = 32 is the smallest m that works), one pass over the training set per epoch (235
// batches); 5 epochs. Per configuration: precision@1 and MAP@R of the L2-normalised test
// embeddings with @emb/index's accuracyCalculator (k = 'max_bin_count', PML's semantics).
//
// Configurations (PML 2.8.1 defaults unless noted): contrastive (posMargin 0, negMargin 1, every
// pair of the batch); triplet (margin 0.2) + tripletMarginMiner (margin 0.2, semi-hard); margin
// loss + distanceWeightedMiner; multi-similarity loss + multiSimilarityMiner; and the
// untrained network.
//
// Imports the BUILT packages: run `pnpm build` first. Needs Debian's dataset-fashion-mnist.
// Usage: pnpm bench quality [epochs=5] [configs=untrained,contrastive,triplet,margin,ms]
//          [trainPerClass=0 (all)] [seed=0]
//   env QUALITY_PML=0 skips the PyTorch peer; QUALITY_PML=only runs only it;
//   QUALITY_PML_JSON=<file> reads the peer's output (a finished `python3 bench/quality_pml.py`
//   run) instead of running it; QUALITY_JSON=<file> writes every result as JSON.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@emb/core';
import { accuracyCalculator } from '@emb/index';
import { contrastiveLoss, marginLoss, multiSimilarityLoss, tripletMarginLoss } from '@emb/losses';
import { distanceWeightedMiner, mPerClassSampler, multiSimilarityMiner, tripletMarginMiner } from '@emb/miners';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { datasetToTensor, selectClasses, takePerClass } from '../packages/datasets/dist/index.js';
import { loadFashionMnist } from '../packages/datasets/dist/node.js';
import { evaluate, fit } from '../packages/train/dist/index.js';
import { findTorchPython, printTable } from './lib.mjs';

const EPOCHS = Number(process.argv[2] ?? 5);
const CONFIGS = (process.argv[3] || 'untrained,contrastive,triplet,margin,ms').split(',');
const TRAIN_PER_CLASS = Number(process.argv[4] ?? 0);
const SEED = Number(process.argv[5] ?? 0);
const BATCH = 128;
const M = 32;
const PML = process.env.QUALITY_PML ?? '1';

const CONFIG_NAMES = {
  untrained: 'untrained network',
  contrastive: 'contrastive',
  triplet: 'triplet + semi-hard miner',
  margin: 'margin + distance-weighted miner',
  ms: 'multi-similarity loss + miner',
};

function components(config) {
  switch (config) {
    case 'contrastive':
      return { loss: contrastiveLoss(), miner: null };
    case 'triplet':
      return { loss: tripletMarginLoss({ margin: 0.2 }), miner: tripletMarginMiner({ margin: 0.2, typeOfTriplets: 'semihard' }) };
    case 'margin':
      return { loss: marginLoss(), miner: distanceWeightedMiner() };
    case 'ms':
      return { loss: multiSimilarityLoss(), miner: multiSimilarityMiner() };
    default:
      throw new Error(`unknown configuration ${JSON.stringify(config)}; known: ${Object.keys(CONFIG_NAMES).join(', ')}`);
  }
}

/** The issue's network, seeded Glorot-uniform kernels and zero biases (tfjs-layers' default scheme). */
function network(seed) {
  const init = (k) => tfl.initializers.glorotUniform({ seed: seed * 10 + k });
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu', kernelInitializer: init(1) }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', kernelInitializer: init(2) }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 128, kernelInitializer: init(3) }),
    ],
  });
}

/** precision@1 and MAP@R of the model's L2-normalised embeddings of `qx` (self-retrieval). */
async function measure(model, qx, qy) {
  const e = tf.tidy(() => {
    const parts = [];
    for (let s = 0; s < qx.shape[0]; s += 500) {
      const n = Math.min(500, qx.shape[0] - s);
      parts.push(model.apply(tf.slice(qx, [s, 0, 0, 0], [n, -1, -1, -1]), { training: false }));
    }
    const all = tf.concat(parts, 0);
    return tf.div(all, tf.maximum(tf.norm(all, 'euclidean', 1, true), 1e-12));
  });
  const calc = accuracyCalculator({ include: ['precisionAt1', 'meanAveragePrecisionAtR'], k: 'max_bin_count' });
  const r = await calc.compute({ query: e, queryLabels: qy });
  e.dispose();
  return { precisionAt1: r.precisionAt1, meanAveragePrecisionAtR: r.meanAveragePrecisionAtR };
}

async function runEmb() {
  const info = await initBackend({ backend: 'wasm', quiet: true });
  const conv = info.patches.includes('kernel:wasm:Conv2DBackpropFilter') || tf.getKernel('Conv2DBackpropFilter', 'wasm');
  if (!conv) throw new Error('wasm lacks Conv2DBackpropFilter: the CNN cannot train here');
  let train = selectClasses(await loadFashionMnist({ split: 'train' }), [0, 1, 2, 3, 4]);
  if (TRAIN_PER_CLASS > 0) train = takePerClass(train, TRAIN_PER_CLASS);
  const test = selectClasses(await loadFashionMnist({ split: 'test' }), [5, 6, 7, 8, 9]);
  const x = datasetToTensor(train);
  const qx = datasetToTensor(test);
  console.error(
    `emb: wasm (simd ${info.simd}, ${info.threads} thread), ${train.size} training images (classes 0-4), ${test.size} test images (classes 5-9), ${EPOCHS} epochs`,
  );
  const results = [];
  for (const config of CONFIGS) {
    const model = network(SEED + 1);
    const t0 = performance.now();
    if (config === 'untrained') {
      const m = await measure(model, qx, test.labels);
      results.push({ config, ...m, epochs: 0, steps: 0, trainSeconds: 0, seconds: (performance.now() - t0) / 1000 });
    } else {
      const { loss, miner } = components(config);
      const evaluator = evaluate({ query: qx, queryLabels: test.labels, every: 1 });
      let trainMs = 0;
      let tEpoch = 0;
      const result = await fit({
        model,
        data: { kind: 'labelled', x, labels: train.labels },
        loss,
        ...(miner ? { miner } : {}),
        sampler: mPerClassSampler({ m: M, batchSize: BATCH }),
        optimizer: { name: 'adam', options: { learningRate: 1e-3 } },
        batchSize: BATCH,
        epochs: EPOCHS,
        seed: SEED,
        callbacks: [
          {
            name: 'timer',
            onEpochBegin: () => {
              tEpoch = performance.now();
            },
            onEpochEnd: (_ctx, logs) => {
              trainMs += performance.now() - tEpoch;
              console.error(`  ${config} epoch ${logs.epoch + 1}: loss ${logs.loss.toFixed(4)}`);
            },
            runLast: false,
          },
          evaluator,
          {
            name: 'report',
            runLast: true,
            onEpochEnd: (_ctx, logs) => {
              const m = logs.metrics;
              console.error(
                `  ${config} epoch ${logs.epoch + 1}: P@1 ${m.precisionAt1?.toFixed(4)} MAP@R ${m.meanAveragePrecisionAtR?.toFixed(4)}`,
              );
            },
          },
        ],
      });
      const last = await measure(model, qx, test.labels);
      results.push({
        config,
        ...last,
        epochs: result.completedEpochs,
        steps: result.steps,
        epochLosses: result.history.epochs.map((e) => e.loss),
        curve: evaluator.results.map((r) => ({ epoch: r.epoch, ...r.metrics })),
        // Training alone; the timer wraps the whole epoch, so the per-epoch evaluation is taken out.
        trainSeconds: result.history.epochs.reduce((s, e) => s + e.timeMs, 0) / 1000,
        epochSeconds: trainMs / 1000,
        seconds: (performance.now() - t0) / 1000,
      });
    }
    model.dispose();
    console.error(JSON.stringify(results.at(-1)));
  }
  x.dispose();
  qx.dispose();
  return { backend: info.backend, simd: info.simd, threads: info.threads, train: train.size, queries: test.size, results };
}

/** Writes the initial weights of emb's network (tfjs layout) to a JSON file the PyTorch peer loads. */
async function writeInitialWeights() {
  await initBackend({ backend: 'wasm', quiet: true });
  const model = network(SEED + 1);
  const weights = model.getWeights().map((w) => ({ shape: w.shape, data: Array.from(w.dataSync()) }));
  model.dispose();
  const file = join(mkdtempSync(join(tmpdir(), 'emb-quality-')), 'initial-weights.json');
  writeFileSync(file, JSON.stringify(weights));
  return file;
}

async function runPml() {
  if (process.env.QUALITY_PML_JSON) {
    const lines = readFileSync(process.env.QUALITY_PML_JSON, 'utf8').trim().split('\n');
    return JSON.parse(lines[lines.length - 1]);
  }
  const torch = findTorchPython();
  if (!torch) return null;
  const init = await writeInitialWeights();
  console.error(`pytorch-metric-learning peer (torch ${torch.version}, 2 threads)...`);
  const script = fileURLToPath(new URL('./quality_pml.py', import.meta.url));
  const r = spawnSync(torch.python, [script, String(EPOCHS), CONFIGS.join(','), String(TRAIN_PER_CLASS), String(SEED)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, OMP_NUM_THREADS: '2', QUALITY_INIT: init },
  });
  if (r.status !== 0) {
    console.error(`bench/quality_pml.py failed (is pytorch-metric-learning installed?); status ${r.status}`);
    return null;
  }
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

const emb = PML === 'only' ? null : await runEmb();
const pml = PML === '0' ? null : await runPml();
if (process.env.QUALITY_JSON) writeFileSync(process.env.QUALITY_JSON, `${JSON.stringify({ emb, pml }, null, 2)}\n`);

const f4 = (v) => (typeof v === 'number' ? v.toFixed(4) : '-');
const pts = (a, b) => (typeof a === 'number' && typeof b === 'number' ? `${((a - b) * 100).toFixed(1)}` : '-');
const secs = (r) => (r ? `${Math.round(r.trainSeconds)} s` : '-');
console.log(
  `\nmachine: ${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log(
  `class-disjoint Fashion-MNIST: train classes 0-4 (${emb?.train ?? pml?.train} images), test classes 5-9 (${emb?.queries ?? pml?.queries}, self-retrieval); ${EPOCHS} epochs, batch ${BATCH} (m = ${M}), Adam 1e-3`,
);
console.log(
  `emb: wasm${emb ? ` (simd ${emb.simd}, ${emb.threads} thread)` : ''}; PML: ${pml ? `pytorch-metric-learning ${pml.pml}, torch ${pml.torch}, ${pml.threads} threads` : 'not run'}. diff = emb - PML, in points`,
);
const rows = CONFIGS.map((config) => {
  const e = emb?.results.find((r) => r.config === config);
  const p = pml?.results.find((r) => r.config === config);
  return [
    CONFIG_NAMES[config] ?? config,
    f4(e?.precisionAt1),
    f4(p?.precisionAt1),
    pts(e?.precisionAt1, p?.precisionAt1),
    f4(e?.meanAveragePrecisionAtR),
    f4(p?.meanAveragePrecisionAtR),
    pts(e?.meanAveragePrecisionAtR, p?.meanAveragePrecisionAtR),
    String(e?.epochs ?? p?.epochs ?? '-'),
    secs(e),
    secs(p),
  ];
});
printTable(
  ['configuration', 'P@1 emb', 'P@1 PML', 'diff', 'MAP@R emb', 'MAP@R PML', 'diff', 'epochs', 'train emb', 'train PML'],
  rows,
);
