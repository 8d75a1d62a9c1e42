// pnpm bench backend: what initBackend's wasm patches buy, measured in one run against the
// stock kernels (the baseline) on the same machine.
//
// 1. matMul GFLOP/s at 512^3 and 1024^3 in its four forms (plain, transposeA, transposeB,
//    both), with the stock wasm BatchMatMul and with emb's (explicit Transpose, then the plain
//    kernel). Target: every transposed form within 1.5x of the plain one.
// 2. Forward + backward of a 512 x 128 pairwise L2 distance matrix (the matMul identity,
//    written inline: sqrt(clamp(|x|^2 + |y|^2 - 2 x y^T))), on patched wasm, stock wasm, cpu.
// 3. The CNN backward kernels of bench/train.mjs, stock vs emb: Conv2DBackpropInput of a conv
//    3x3 32 -> 64 (dy [128, 14, 14, 64] -> dx [128, 14, 14, 32], 'same'; and the 'valid' one of
//    the train bench, [128, 11, 11, 64] -> [128, 13, 13, 32]) and MaxPoolGrad of a 2x2 pool
//    over [128, 26, 26, 32].
//
// Imports the BUILT @emb/core: run `pnpm --filter @emb/core build` first.
import { cpus, loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-cpu';
import { initBackend } from '@emb/core';
import { fmt, printTable } from './lib.mjs';

// `pnpm bench backend 256,512` picks other matMul sizes.
const MATMUL_SIZES = (process.argv[2] ?? '512,1024').split(',').map(Number);
const B = 512;
const D = 128;
const MATMUL_KERNELS = ['BatchMatMul', '_FusedMatMul'];
const CNN_KERNELS = ['Conv2DBackpropInput', 'MaxPoolGrad'];
const KERNELS = [...MATMUL_KERNELS, ...CNN_KERNELS];

// The stock wasm kernels, captured before initBackend wraps them, so both can be timed in
// one process by swapping the registrations.
const loadStart = loadavg()
  .map((x) => x.toFixed(1))
  .join(' ');
const stock = Object.fromEntries(KERNELS.map((k) => [k, tf.getKernel(k, 'wasm')]));
const info = await initBackend({ quiet: true });
const patched = Object.fromEntries(KERNELS.map((k) => [k, tf.getKernel(k, 'wasm')]));
function useKernels(set) {
  for (const k of KERNELS) {
    tf.unregisterKernel(k, 'wasm');
    tf.registerKernel(set[k]);
  }
}

/** Runs `run(make())` once and returns its ms; the input is made outside the timing. */
function once(make, run) {
  const input = make();
  const t0 = performance.now();
  const out = run(input);
  out.dataSync();
  const ms = performance.now() - t0;
  tf.dispose([out, input]);
  return ms;
}

/**
 * Best (minimum) ms of each case, measured round-robin: one run of every case per round, so a
 * change of load on the (shared) machine hits all cases alike, and the minimum because
 * interference only ever adds time. A case slower than 1 s runs in the first round only (the
 * stock transposed forms take seconds). Inputs are fresh each run: XNNPACK caches packed
 * right-hand sides by tensor, and in training they change every step.
 */
function roundRobin(cases, { rounds = 9, budgetMs = 15000 } = {}) {
  const best = new Map();
  const start = performance.now();
  for (let round = 0; round < rounds; round++) {
    for (const c of cases) {
      if (round > 0 && best.get(c.key) > 1000) continue;
      c.before?.();
      const ms = once(c.make, c.run);
      best.set(c.key, Math.min(best.get(c.key) ?? Infinity, ms));
    }
    if (round >= 2 && performance.now() - start > budgetMs) break;
  }
  return best;
}

const FORMS = [
  ['plain', false, false],
  ['transposeA', true, false],
  ['transposeB', false, true],
  ['both', true, true],
];

function matMulCases(n) {
  const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
  const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
  const cases = [];
  for (const [label, set] of [
    ['stock', stock],
    ['emb', patched],
  ]) {
    for (const [form, ta, tb] of FORMS) {
      cases.push({
        key: `${label} ${form}`,
        before: () => useKernels(set),
        make: () => [tf.clone(a), tf.clone(b)],
        run: ([x, y]) => tf.matMul(x, y, ta, tb),
      });
    }
  }
  return { cases, dispose: () => tf.dispose([a, b]) };
}

const gflops = (n, ms) => (2 * n ** 3) / (ms * 1e6);

console.error(`wasm simd=${info.simd} threads=${info.threads}; measuring matMul...`);
// Warm-up: grows the wasm heap and JIT-compiles every path once, outside any measurement.
const warm = matMulCases(256);
roundRobin(warm.cases, { rounds: 1 });
warm.dispose();
const matRows = [];
for (const n of MATMUL_SIZES) {
  const { cases, dispose } = matMulCases(n);
  const best = roundRobin(cases);
  dispose();
  for (const [form] of FORMS) {
    const s = best.get(`stock ${form}`);
    const e = best.get(`emb ${form}`);
    matRows.push([
      `${n}^3`,
      form,
      fmt(s),
      gflops(n, s).toFixed(1),
      fmt(e),
      gflops(n, e).toFixed(1),
      `${(s / e).toFixed(1)}x`,
      `${(e / best.get('emb plain')).toFixed(2)}x`,
    ]);
  }
}

/** Pairwise L2 distances by the matMul identity, clamped so the sqrt's gradient stays finite. */
function pairwiseL2(x, y) {
  const xx = tf.sum(tf.square(x), 1, true);
  const yy = tf.reshape(tf.sum(tf.square(y), 1), [1, -1]);
  const d2 = tf.sub(tf.add(xx, yy), tf.mul(2, tf.matMul(x, y, false, true)));
  return tf.sqrt(tf.maximum(d2, 1e-12));
}
const forwardBackward = tf.grad((x) => tf.sum(pairwiseL2(x, x)));
const embeddings = tf.randomNormal([B, D], 0, 1, 'float32', 3);
const distanceCase = (key, before) => ({ key, before, make: () => tf.clone(embeddings), run: (e) => forwardBackward(e) });

console.error('measuring the pairwise distance...');
const wasmBest = roundRobin([distanceCase('stock', () => useKernels(stock)), distanceCase('emb', () => useKernels(patched))]);
const stockWasm = wasmBest.get('stock');
const embWasm = wasmBest.get('emb');
await initBackend({ backend: 'cpu', quiet: true });
const cpu = roundRobin([distanceCase('cpu')], { rounds: 3 }).get('cpu');
await initBackend({ quiet: true });

console.error('measuring the CNN backward kernels...');
const w2 = tf.randomNormal([3, 3, 32, 64], 0, 0.1, 'float32', 4);
const dySame = tf.randomNormal([128, 14, 14, 64], 0, 1, 'float32', 5);
const dyValid = tf.randomNormal([128, 11, 11, 64], 0, 1, 'float32', 6);
const poolX = tf.randomNormal([128, 26, 26, 32], 0, 1, 'float32', 7);
const poolY = tf.maxPool(poolX, 2, 2, 'valid');
const poolDy = tf.randomNormal(poolY.shape, 0, 1, 'float32', 8);
const CNN_CASES = [
  {
    name: "Conv2DBackpropInput 'same' [128,14,14,64] * 3x3x32x64 -> [128,14,14,32]",
    make: () => tf.clone(dySame),
    run: (dy) =>
      tf
        .engine()
        .runKernel(
          'Conv2DBackpropInput',
          { dy, filter: w2 },
          { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: [128, 14, 14, 32] },
        ),
  },
  {
    name: "Conv2DBackpropInput 'valid' [128,11,11,64] * 3x3x32x64 -> [128,13,13,32]",
    make: () => tf.clone(dyValid),
    run: (dy) =>
      tf
        .engine()
        .runKernel(
          'Conv2DBackpropInput',
          { dy, filter: w2 },
          { strides: 1, pad: 'valid', dataFormat: 'NHWC', inputShape: [128, 13, 13, 32] },
        ),
  },
  {
    name: 'MaxPoolGrad 2x2 [128,26,26,32]',
    make: () => tf.clone(poolDy),
    run: (dy) =>
      tf.engine().runKernel('MaxPoolGrad', { dy, input: poolX, output: poolY }, { filterSize: 2, strides: 2, pad: 'valid' }),
  },
];
const cnnCases = CNN_CASES.flatMap((c) => [
  { ...c, key: `stock ${c.name}`, before: () => useKernels(stock) },
  { ...c, key: `emb ${c.name}`, before: () => useKernels(patched) },
]);
// Warm-up round first: a cold stock conv run took 2x its warm time, and runs over 1 s are
// not repeated.
roundRobin(cnnCases, { rounds: 1 });
const cnnBest = roundRobin(cnnCases);
useKernels(patched);
tf.dispose([w2, dySame, dyValid, poolX, poolY, poolDy]);
const cnnRows = CNN_CASES.map(({ name }) => {
  const s = cnnBest.get(`stock ${name}`);
  const e = cnnBest.get(`emb ${name}`);
  return [name, fmt(s), fmt(e), `${(s / e).toFixed(1)}x`];
});

const load = (l) => l.map((x) => x.toFixed(1)).join(' ');
console.log(
  `\n${cpus()[0]?.model ?? 'cpu'} x ${cpus().length}, node ${process.version}, load average ${loadStart} at start, ${load(loadavg())} at end`,
);
console.log(
  `\nmatMul, n x n times n x n, best ms of up to 9 round-robin runs (fresh inputs per run), wasm SIMD, ${info.threads} thread(s)`,
);
console.log('speed-up = stock / emb; vs plain = emb form / emb plain (target <= 1.5x)\n');
printTable(['size', 'form', 'stock ms', 'stock GFLOP/s', 'emb ms', 'emb GFLOP/s', 'speed-up', 'vs plain'], matRows);

console.log(
  `\npairwise L2 distance ${B} x ${D} -> ${B} x ${B}, forward + backward, best ms of up to 9 round-robin runs; ratio = backend / stock wasm\n`,
);
printTable(
  ['backend', 'ms', 'ratio'],
  [
    ['wasm, stock kernels (baseline)', fmt(stockWasm), '1.00x'],
    ['wasm, emb (initBackend)', fmt(embWasm), `${(embWasm / stockWasm).toFixed(2)}x`],
    ['cpu', fmt(cpu), `${(cpu / stockWasm).toFixed(2)}x`],
  ],
);

console.log('\nCNN backward kernels (bench/train.mjs sizes), best ms of up to 9 round-robin runs; speed-up = stock / emb\n');
printTable(['kernel', 'stock ms', 'emb ms', 'speed-up'], cnnRows);
