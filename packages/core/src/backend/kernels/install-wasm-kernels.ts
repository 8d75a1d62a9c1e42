import * as tf from '@tensorflow/tfjs-core';
import { conv2dBackpropFilter } from './conv2d-backprop-filter.js';
import { fastConv2dBackpropInputConfig } from './conv2d-backprop-input.js';
import { depthwiseConv2dBackpropFilter } from './depthwise-conv2d-backprop-filter.js';
import { depthwiseConv2dBackpropInput } from './depthwise-conv2d-backprop-input.js';
import { fastTransposedMatMulConfig } from './fast-transposed-mat-mul.js';
import { fastMaxPoolGradConfig } from './max-pool-grad.js';
import { unsortedSegmentSum } from './unsorted-segment-sum.js';
import type { KernelArgs } from './wasm-backend.js';

/** Kernels tfjs-backend-wasm 4.22 lacks that training needs, by kernel name. */
const MISSING_KERNELS: Readonly<Record<string, (args: KernelArgs) => tf.TensorInfo>> = {
  [tf.Conv2DBackpropFilter]: conv2dBackpropFilter,
  [tf.UnsortedSegmentSum]: unsortedSegmentSum,
  [tf.DepthwiseConv2dNativeBackpropFilter]: depthwiseConv2dBackpropFilter,
  [tf.DepthwiseConv2dNativeBackpropInput]: depthwiseConv2dBackpropInput,
};

/**
 * Stock kernels that are slow (the transposed matMuls, the naive conv input gradient and
 * max-pool gradient), by kernel name: wrapped, not replaced, so the stock kernel stays the
 * fallback for what the fast path does not handle.
 */
const SLOW_KERNELS: Readonly<Record<string, (original: tf.KernelConfig) => tf.KernelConfig>> = {
  [tf.BatchMatMul]: fastTransposedMatMulConfig,
  [tf._FusedMatMul]: fastTransposedMatMulConfig,
  [tf.Conv2DBackpropInput]: fastConv2dBackpropInputConfig,
  [tf.MaxPoolGrad]: fastMaxPoolGradConfig,
};

/** Marks emb's wrappers so a second copy of emb does not wrap a wrapper. */
const WRAPPED = Symbol.for('@emb/core/wrapped-kernel');

/**
 * Registers emb's kernels for the `wasm` backend: the ones it lacks (only where none is
 * registered, so a future tfjs release wins) and fast versions of slow stock kernels
 * (transposed matMuls, `Conv2DBackpropInput`, `MaxPoolGrad`). Needs
 * `@tensorflow/tfjs-backend-wasm` imported (its kernels registered). Returns what it
 * supplied, as `'kernel:wasm:<Kernel>'` entries.
 *
 * @internal
 */
export function installWasmKernels(): string[] {
  const supplied: string[] = [];
  for (const [kernelName, kernelFunc] of Object.entries(MISSING_KERNELS)) {
    if (tf.getKernel(kernelName, 'wasm') != null) continue;
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
    supplied.push(`kernel:wasm:${kernelName}`);
  }
  for (const [kernelName, wrap] of Object.entries(SLOW_KERNELS)) {
    const original = tf.getKernel(kernelName, 'wasm');
    if (original == null || WRAPPED in original.kernelFunc) continue;
    const wrapped = wrap(original);
    Object.defineProperty(wrapped.kernelFunc, WRAPPED, { value: original });
    // registerKernel refuses (with a warning) to replace a registered kernel.
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel(wrapped);
    supplied.push(`kernel:wasm:${kernelName}`);
  }
  return supplied;
}
