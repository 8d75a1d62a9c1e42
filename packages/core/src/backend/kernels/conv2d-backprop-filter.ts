import * as tf from '@tensorflow/tfjs-core';
import { type KernelArgs, release, runWasmKernel, shape4, type WasmBackend } from './wasm-backend.js';

/**
 * `Conv2DBackpropFilter` for the wasm backend, which tfjs-backend-wasm 4.22 lacks, so that
 * `tf.conv2d` (and a tfjs-layers CNN) can train on wasm.
 *
 * `dW[kh, kw, ci, co] = sum over (n, oh, ow) of x[n, oh*sH + kh - top, ow*sW + kw - left, ci] * dy[n, oh, ow, co]`,
 * computed as one matrix product: the input patches are laid out im2col-style as
 * `P [N*OH*OW, KH*KW*CI]` (rows copied straight out of the wasm heap, zeros for padding),
 * then `dW^T = dy^T P` with the stock XNNPACK matMul in its fast, untransposed form, and a
 * final small transpose to `[KH, KW, CI, CO]`. Intermediates are freed before returning.
 *
 * @internal
 */
export function conv2dBackpropFilter({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const temps: tf.TensorInfo[] = [];
  let x = inputs.x!;
  let dy = inputs.dy!;
  try {
    if (a.dataFormat === 'NCHW') {
      // Work in NHWC: the filter layout is the same either way.
      x = runWasmKernel('Transpose', backend, { x }, { perm: [0, 2, 3, 1] });
      dy = runWasmKernel('Transpose', backend, { x: dy }, { perm: [0, 2, 3, 1] });
      temps.push(x, dy);
    }
    const info = tf.backend_util.computeConv2DInfo(
      shape4(x.shape),
      shape4(a.filterShape),
      a.strides,
      1,
      a.pad,
      a.dimRoundingMode,
      false,
      'channelsLast',
    );
    const { outHeight: OH, outWidth: OW, filterHeight: KH, filterWidth: KW, inChannels: CI, outChannels: CO } = info;
    const rows = info.batchSize * OH * OW;
    const patches = im2col(backend, x, info);
    temps.push(patches);
    const dy2 = runWasmKernel('Reshape', backend, { x: dy }, { shape: [rows, CO] });
    temps.push(dy2);
    const dyT = runWasmKernel('Transpose', backend, { x: dy2 }, { perm: [1, 0] });
    temps.push(dyT);
    const dwT = runWasmKernel('BatchMatMul', backend, { a: dyT, b: patches }, { transposeA: false, transposeB: false });
    temps.push(dwT);
    const dwT2 = runWasmKernel('Reshape', backend, { x: dwT }, { shape: [CO, KH * KW * CI] });
    temps.push(dwT2);
    const dw = runWasmKernel('Transpose', backend, { x: dwT2 }, { perm: [1, 0] });
    return { ...dw, shape: [KH, KW, CI, CO] };
  } finally {
    release(backend, ...temps);
  }
}

/**
 * The input patches of a stride/pad-configured 2-D convolution, one row per output pixel:
 * `[N*OH*OW, KH*KW*CI]`, columns in the filter's `(kh, kw, ci)` order.
 */
function im2col(backend: WasmBackend, x: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: CI, outHeight: OH, outWidth: OW } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sH, strideWidth: sW } = info;
  const { dilationHeight: dH, dilationWidth: dW } = info;
  const { top, left } = info.padInfo;
  const K = KH * KW * CI;
  const out = backend.makeOutput([N * OH * OW, K], 'float32');
  // One view over the whole heap, so rows can be moved with copyWithin (a memmove).
  const xView = backend.typedArrayFromHeap(x) as Float32Array;
  const outView = backend.typedArrayFromHeap(out) as Float32Array;
  const heap = new Float32Array(xView.buffer);
  const xBase = xView.byteOffset >> 2;
  const outBase = outView.byteOffset >> 2;
  const padded = info.padInfo.top > 0 || info.padInfo.left > 0 || info.padInfo.bottom > 0 || info.padInfo.right > 0;
  if (padded) outView.fill(0);
  // Short channel runs are cheaper as a plain loop than as a copyWithin call.
  const useCopy = CI >= 16;
  let row = outBase;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++, row += K) {
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * sH + kh * dH - top;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * sW + kw * dW - left;
            if (iw < 0 || iw >= W) continue;
            const src = xBase + ((n * H + ih) * W + iw) * CI;
            const dst = row + (kh * KW + kw) * CI;
            if (useCopy) heap.copyWithin(dst, src, src + CI);
            else for (let c = 0; c < CI; c++) heap[dst + c] = heap[src + c]!;
          }
        }
      }
    }
  }
  return out;
}
