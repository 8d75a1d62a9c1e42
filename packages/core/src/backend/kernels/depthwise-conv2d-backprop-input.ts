import * as tf from '@tensorflow/tfjs-core';
import { type KernelArgs, shape4 } from './wasm-backend.js';

/**
 * `DepthwiseConv2dNativeBackpropInput` for the wasm backend, which tfjs-backend-wasm 4.22
 * lacks: the input gradient of `tf.depthwiseConv2d`, needed whenever a depthwise layer is
 * not the first layer of a network trained on wasm. It scatters each `dy` pixel back
 * through the filter, in direct loops over the wasm heap.
 *
 * @internal
 */
export function depthwiseConv2dBackpropInput({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const dy = inputs.dy!;
  const filter = inputs.filter!;
  const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    shape4(a.inputShape),
    shape4(filter.shape),
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
  const out = backend.makeOutput(info.inShape, 'float32');
  const dys = backend.typedArrayFromHeap(dy);
  const ws = backend.typedArrayFromHeap(filter);
  const dxs = backend.typedArrayFromHeap(out);
  dxs.fill(0);
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const dyBase = ((n * OH + oh) * OW + ow) * CO;
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * sH + kh * dH - top;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * sW + kw * dW - left;
            if (iw < 0 || iw >= W) continue;
            const dxBase = ((n * H + ih) * W + iw) * CI;
            const wBase = (kh * KW + kw) * CO;
            for (let ci = 0, co = 0; ci < CI; ci++) {
              let sum = 0;
              for (let m = 0; m < mult; m++, co++) sum += dys[dyBase + co]! * ws[wBase + co]!;
              dxs[dxBase + ci]! += sum;
            }
          }
        }
      }
    }
  }
  return out;
}
