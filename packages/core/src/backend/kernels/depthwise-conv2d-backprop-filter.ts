import * as tf from '@tensorflow/tfjs-core';
import { type KernelArgs, shape4 } from './wasm-backend.js';

/**
 * `DepthwiseConv2dNativeBackpropFilter` for the wasm backend, which tfjs-backend-wasm 4.22
 * lacks, so `tf.depthwiseConv2d` / `tf.separableConv2d` (MobileNet-style blocks) can train
 * on wasm. Direct loops over the tensors' bytes on the wasm heap; depthwise filters are
 * small (`[KH, KW, CI, multiplier]`), so the work is `O(KH*KW*CI*multiplier*N*OH*OW)` like
 * the forward pass.
 *
 * @internal
 */
export function depthwiseConv2dBackpropFilter({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const x = inputs.x!;
  const dy = inputs.dy!;
  const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    shape4(x.shape),
    shape4(a.filterShape),
    a.strides,
    a.dilations,
    a.pad,
    a.dimRoundingMode,
    true,
  );
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: CI, outHeight: OH, outWidth: OW, outChannels: CO } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sH, strideWidth: sW } = info;
  const { dilationHeight: dH, dilationWidth: dW } = info;
  const { top, left } = info.padInfo;
  const mult = CO / CI;
  const out = backend.makeOutput(info.filterShape, 'float32');
  const xs = backend.typedArrayFromHeap(x);
  const dys = backend.typedArrayFromHeap(dy);
  const dws = backend.typedArrayFromHeap(out);
  dws.fill(0);
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      const wBase = (kh * KW + kw) * CO; // filter [KH, KW, CI, mult] flattens to (kh, kw, co)
      for (let n = 0; n < N; n++) {
        for (let oh = 0; oh < OH; oh++) {
          const ih = oh * sH + kh * dH - top;
          if (ih < 0 || ih >= H) continue;
          for (let ow = 0; ow < OW; ow++) {
            const iw = ow * sW + kw * dW - left;
            if (iw < 0 || iw >= W) continue;
            const xBase = ((n * H + ih) * W + iw) * CI;
            const dyBase = ((n * OH + oh) * OW + ow) * CO;
            for (let ci = 0, co = 0; ci < CI; ci++) {
              const xv = xs[xBase + ci]!;
              for (let m = 0; m < mult; m++, co++) dws[wBase + co]! += xv * dys[dyBase + co]!;
            }
          }
        }
      }
    }
  }
  return out;
}
