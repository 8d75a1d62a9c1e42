// Test helper (not published): runs one kernel on `wasm` and on the `cpu` reference backend
// from the same host data, so each kernel emb supplies is checked against tfjs's own.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { createRng } from '../../random/create-rng.js';
import { initBackend } from '../init-backend.js';

export interface HostTensor {
  values: Float32Array | Int32Array;
  shape: number[];
  dtype: 'float32' | 'int32';
}

/** Starts both backends (wasm patched by initBackend) and leaves wasm active. */
export async function startBackends(): Promise<void> {
  await initBackend({ backend: 'cpu', quiet: true });
  await initBackend();
}

/** Standard-normal host data of `shape`, from `seed`. */
export function randomTensor(shape: number[], seed: number | string): HostTensor {
  const rng = createRng(seed);
  const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal());
  return { values, shape, dtype: 'float32' };
}

/** Runs `kernelName` on `backend` through the engine and returns the output's data and shape. */
export async function runKernelOn(
  backend: 'wasm' | 'cpu',
  kernelName: string,
  inputs: Record<string, HostTensor>,
  attrs: Record<string, unknown> = {},
): Promise<{ values: Float32Array | Int32Array; shape: number[] }> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const tensors: tf.NamedTensorMap = {};
  for (const [name, t] of Object.entries(inputs)) tensors[name] = tf.tensor(t.values, t.shape, t.dtype);
  const out = tf.engine().runKernel(kernelName, tensors, attrs as tf.NamedAttrMap) as tf.Tensor;
  const result = { values: out.dataSync() as Float32Array | Int32Array, shape: out.shape };
  tf.dispose([out, ...Object.values(tensors)]);
  expect(tf.memory().numTensors).toBe(before);
  await tf.setBackend('wasm');
  return result;
}

/** Runs the kernel on both backends and expects the same shape and values (relative `tol`). */
export async function expectSameOnWasmAndCpu(
  kernelName: string,
  inputs: Record<string, HostTensor>,
  attrs: Record<string, unknown> = {},
  tol = 1e-4,
): Promise<void> {
  const wasm = await runKernelOn('wasm', kernelName, inputs, attrs);
  const cpu = await runKernelOn('cpu', kernelName, inputs, attrs);
  expect(wasm.shape).toEqual(cpu.shape);
  expect(wasm.values.length).toBe(cpu.values.length);
  let scale = 1;
  for (const v of cpu.values) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < cpu.values.length; i++) worst = Math.max(worst, Math.abs(wasm.values[i]! - cpu.values[i]!));
  expect(worst / scale).toBeLessThan(tol);
}
