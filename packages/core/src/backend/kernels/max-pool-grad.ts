import * as tf from '@tensorflow/tfjs-core';
import { type KernelArgs, shape4, type WasmBackend } from './wasm-backend.js';

/**
 * Wraps the wasm `MaxPoolGrad` kernel (the gradient of `tf.maxPool`) with one JS pass over
 * the wasm heap: each `dy` pixel goes to the position of its window's maximum, the FIRST one
 * in row-major window order on ties (strict `>` from `-Infinity`, as tfjs-backend-cpu's
 * `maxPoolPositions`; a window of only NaN or -Infinity passes nothing back). Non-float32
 * inputs go to the stock kernel.
 *
 * Why: tfjs-backend-wasm 4.22's kernel took ~116 ms for the first pool of a small MNIST CNN
 * ([128, 26, 26, 32], 2x2); this is O(N * OH * OW * C * KH * KW) with the channel loop
 * innermost, so every read runs along contiguous memory.
 *
 * `original` is the stock kernel config, captured before it is unregistered; its setup and
 * dispose hooks are kept.
 *
 * @internal
 */
export function fastMaxPoolGradConfig(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const { dy, input } = args.inputs;
    if (dy == null || input == null || dy.dtype !== 'float32' || input.dtype !== 'float32') {
      return original.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    }
    return maxPoolGrad(args.backend, dy, input, args.attrs as unknown as tf.MaxPoolGradAttrs);
  };
  return {
    kernelName: original.kernelName,
    backendName: original.backendName,
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
    ...(original.setupFunc ? { setupFunc: original.setupFunc } : {}),
    ...(original.disposeFunc ? { disposeFunc: original.disposeFunc } : {}),
  };
}

function maxPoolGrad(backend: WasmBackend, dy: tf.TensorInfo, input: tf.TensorInfo, a: tf.MaxPoolGradAttrs): tf.TensorInfo {
  const info = tf.backend_util.computePool2DInfo(shape4(input.shape), a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sH, strideWidth: sW } = info;
  const { top, left } = info.padInfo;
  const out = backend.makeOutput([N, H, W, C], 'float32');
  // Views only after the allocation: a growing heap detaches older ones.
  const xs = backend.typedArrayFromHeap(input) as Float32Array;
  const dys = backend.typedArrayFromHeap(dy) as Float32Array;
  const dxs = backend.typedArrayFromHeap(out) as Float32Array;
  dxs.fill(0);
  // Per window, the running maximum and its flat input offset, one slot per channel.
  const best = new Float32Array(C);
  const where = new Int32Array(C);
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const r0 = Math.max(0, oh * sH - top);
      const r1 = Math.min(H, oh * sH - top + KH);
      for (let ow = 0; ow < OW; ow++) {
        const c0 = Math.max(0, ow * sW - left);
        const c1 = Math.min(W, ow * sW - left + KW);
        best.fill(Number.NEGATIVE_INFINITY);
        where.fill(-1);
        for (let r = r0; r < r1; r++) {
          for (let c = c0; c < c1; c++) {
            const base = ((n * H + r) * W + c) * C;
            for (let ch = 0; ch < C; ch++) {
              const v = xs[base + ch]!;
              if (v > best[ch]!) {
                best[ch] = v;
                where[ch] = base + ch;
              }
            }
          }
        }
        const dyBase = ((n * OH + oh) * OW + ow) * C;
        for (let ch = 0; ch < C; ch++) {
          const at = where[ch]!;
          if (at >= 0) dxs[at]! += dys[dyBase + ch]!;
        }
      }
    }
  }
  return out;
}
