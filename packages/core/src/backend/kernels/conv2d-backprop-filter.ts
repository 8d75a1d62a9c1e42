import * as tf from '@tensorflow/tfjs-core';
import { type KernelArgs, release, runWasmKernel, shape4, type WasmBackend } from './wasm-backend.js';

/**
 * `Conv2DBackpropFilter` for the wasm backend, which tfjs-backend-wasm 4.22 lacks, so that
 * `tf.conv2d` (and a tfjs-layers CNN) can train on wasm.
 *
 * `dW[kh, kw, ci, co] = sum over (n, oh, ow) of x[n, oh*sH + kh - top, ow*sW + kw - left, ci] * dy[n, oh, ow, co]`,
 * computed as one matrix product: the input patches are laid out im2col-style, transposed,
 * as `P^T [KH*KW*CI, N*OH*OW]` (copied straight out of the wasm heap, zeros for padding),
 * then `dW = P^T dy` with the stock XNNPACK matMul in its fast, untransposed form, whose
 * `[KH*KW*CI, CO]` result already is the filter layout. With the long `N*OH*OW` axis inside,
 * XNNPACK packs only the small `dy` side; `dy^T P` measured 5x slower. Intermediates are
 * freed before returning.
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
    const patchesT = im2colTransposed(backend, x, info);
    temps.push(patchesT);
    const dy2 = runWasmKernel('Reshape', backend, { x: dy }, { shape: [info.batchSize * OH * OW, CO] });
    temps.push(dy2);
    const dw = runWasmKernel('BatchMatMul', backend, { a: patchesT, b: dy2 }, { transposeA: false, transposeB: false });
    return { ...dw, shape: [KH, KW, CI, CO] };
  } finally {
    release(backend, ...temps);
  }
}

/**
 * The input patches of a stride/pad-configured 2-D convolution, transposed: one row per
 * filter tap `(kh, kw, ci)` (the filter's order), one column per output pixel `(n, oh, ow)`:
 * `[KH*KW*CI, N*OH*OW]`. Reads run along the channels of one input pixel; padding is zeros.
 */
function im2colTransposed(backend: WasmBackend, x: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: CI, outHeight: OH, outWidth: OW } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sH, strideWidth: sW } = info;
  const { dilationHeight: dH, dilationWidth: dW } = info;
  const { top, left, bottom, right } = info.padInfo;
  const M = N * OH * OW;
  const out = backend.makeOutput([KH * KW * CI, M], 'float32');
  // Views only after the allocation: a growing heap detaches older ones.
  const xs = backend.typedArrayFromHeap(x) as Float32Array;
  const cols = backend.typedArrayFromHeap(out) as Float32Array;
  if (top > 0 || left > 0 || bottom > 0 || right > 0) cols.fill(0);
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      const rowBase = (kh * KW + kw) * CI * M;
      let m = 0;
      for (let n = 0; n < N; n++) {
        for (let oh = 0; oh < OH; oh++) {
          const ih = oh * sH + kh * dH - top;
          if (ih < 0 || ih >= H) {
            m += OW;
            continue;
          }
          const xRow = (n * H + ih) * W;
          for (let ow = 0; ow < OW; ow++, m++) {
            const iw = ow * sW + kw * dW - left;
            if (iw < 0 || iw >= W) continue;
            const src = (xRow + iw) * CI;
            for (let c = 0, dst = rowBase + m; c < CI; c++, dst += M) cols[dst] = xs[src + c]!;
          }
        }
      }
    }
  }
  return out;
}
