import * as tf from '@tensorflow/tfjs-core';
import { type KernelArgs, release, runWasmKernel, shape4, type WasmBackend } from './wasm-backend.js';

/**
 * Wraps the wasm `Conv2DBackpropInput` kernel (the input gradient of `tf.conv2d`) so that it
 * runs as one forward XNNPACK `Conv2D`, falling back to the stock kernel only for what that
 * cannot express (non-float32 data).
 *
 * Why: tfjs-backend-wasm 4.22's own kernel is a naive loop; for the second conv of a small
 * MNIST CNN ([128, 13, 13, 32] <- 3x3x32x64) it took ~460 ms, most of a training step.
 * The input gradient of a convolution is a "full" correlation of `dy` with the filter rotated
 * by 180 degrees, its in/out channels swapped:
 * `dx[n, i, j, ci] = sum of dy~[n, i + kh, j + kw, co] * w[KH-1-kh, KW-1-kw, ci, co]`, where `dy~` is
 * `dy` with `stride - 1` zeros between its pixels and `KH-1-padTop` / `KW-1-padLeft` zeros
 * before them, sized `(H + KH - 1) x (W + KW - 1)` so that a 'valid' stride-1 convolution
 * yields exactly `H x W`. For stride 1 and non-negative pads, `dy` goes to `Conv2D` as is with
 * explicit padding (no copy); otherwise `dy~` is built by one JS copy over the wasm heap (rows or
 * columns that fall outside are dropped, which covers explicit pads larger than the filter).
 * The flipped filter is small and rebuilt per call. NCHW data is transposed to NHWC and back.
 *
 * `original` is the stock kernel config, captured before it is unregistered; its setup and
 * dispose hooks are kept so a re-initialised backend still sets up the wasm function.
 *
 * @internal
 */
export function fastConv2dBackpropInputConfig(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const { dy, filter } = args.inputs;
    if (dy == null || filter == null || dy.dtype !== 'float32' || filter.dtype !== 'float32') {
      return original.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    }
    return conv2dBackpropInput(args.backend, dy, filter, args.attrs as unknown as tf.Conv2DBackpropInputAttrs);
  };
  return {
    kernelName: original.kernelName,
    backendName: original.backendName,
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
    ...(original.setupFunc ? { setupFunc: original.setupFunc } : {}),
    ...(original.disposeFunc ? { disposeFunc: original.disposeFunc } : {}),
  };
}

function conv2dBackpropInput(
  backend: WasmBackend,
  dyIn: tf.TensorInfo,
  filter: tf.TensorInfo,
  a: tf.Conv2DBackpropInputAttrs,
): tf.TensorInfo {
  const nchw = a.dataFormat === 'NCHW';
  const temps: tf.TensorInfo[] = [];
  try {
    let dy = dyIn;
    let inputShape = shape4(a.inputShape);
    if (nchw) {
      dy = runWasmKernel('Transpose', backend, { x: dyIn }, { perm: [0, 2, 3, 1] });
      temps.push(dy);
      inputShape = [inputShape[0], inputShape[2], inputShape[3], inputShape[1]];
    }
    const info = tf.backend_util.computeConv2DInfo(
      inputShape,
      shape4(filter.shape),
      a.strides,
      1,
      a.pad,
      a.dimRoundingMode,
      false,
      'channelsLast',
    );
    const { inHeight: H, inWidth: W, filterHeight: KH, filterWidth: KW, strideHeight: sH, strideWidth: sW } = info;
    const { outHeight: OH, outWidth: OW } = info;
    // Zeros before the first dy pixel, and after the last one, in the full correlation.
    const top = KH - 1 - info.padInfo.top;
    const left = KW - 1 - info.padInfo.left;
    const bottom = H + KH - 1 - top - ((OH - 1) * sH + 1);
    const right = W + KW - 1 - left - ((OW - 1) * sW + 1);
    const flipped = flipFilter(backend, filter);
    temps.push(flipped);
    let x: tf.TensorInfo;
    let pad: tf.Conv2DAttrs['pad'];
    if (sH === 1 && sW === 1 && top >= 0 && left >= 0 && bottom >= 0 && right >= 0) {
      x = dy;
      pad = [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ];
    } else {
      x = dilateAndPad(backend, dy, info, top, left);
      temps.push(x);
      pad = 'valid';
    }
    const dx = runWasmKernel(
      'Conv2D',
      backend,
      { x, filter: flipped },
      { strides: 1, pad, dataFormat: 'NHWC', dilations: 1, dimRoundingMode: undefined },
    );
    if (!nchw) return dx;
    temps.push(dx);
    return runWasmKernel('Transpose', backend, { x: dx }, { perm: [0, 3, 1, 2] });
  } finally {
    release(backend, ...temps);
  }
}

/** `[KH, KW, CI, CO]` -> rotated by 180 degrees with in/out swapped: `[KH, KW, CO, CI]`. */
function flipFilter(backend: WasmBackend, filter: tf.TensorInfo): tf.TensorInfo {
  const [KH, KW, CI, CO] = shape4(filter.shape);
  const out = backend.makeOutput([KH, KW, CO, CI], 'float32');
  // Views only after the allocation: a growing heap detaches older ones.
  const w = backend.typedArrayFromHeap(filter);
  const f = backend.typedArrayFromHeap(out);
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      const src = ((KH - 1 - kh) * KW + (KW - 1 - kw)) * CI * CO;
      const dst = (kh * KW + kw) * CO * CI;
      for (let ci = 0; ci < CI; ci++) {
        for (let co = 0; co < CO; co++) f[dst + co * CI + ci] = w[src + ci * CO + co]!;
      }
    }
  }
  return out;
}

/**
 * `dy` with `stride - 1` zero pixels between its pixels, placed at (`top`, `left`) in a zero
 * `[N, H + KH - 1, W + KW - 1, CO]` image (pixels falling outside are dropped).
 */
function dilateAndPad(
  backend: WasmBackend,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  top: number,
  left: number,
): tf.TensorInfo {
  const { batchSize: N, inHeight: H, inWidth: W, filterHeight: KH, filterWidth: KW } = info;
  const { outHeight: OH, outWidth: OW, outChannels: CO, strideHeight: sH, strideWidth: sW } = info;
  const HP = H + KH - 1;
  const WP = W + KW - 1;
  const out = backend.makeOutput([N, HP, WP, CO], 'float32');
  const src = backend.typedArrayFromHeap(dy) as Float32Array;
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  dst.fill(0);
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const r = oh * sH + top;
      if (r < 0 || r >= HP) continue;
      const srcRow = (n * OH + oh) * OW * CO;
      const dstRow = (n * HP + r) * WP * CO;
      for (let ow = 0; ow < OW; ow++) {
        const c = ow * sW + left;
        if (c < 0 || c >= WP) continue;
        const from = srcRow + ow * CO;
        dst.set(src.subarray(from, from + CO), dstRow + c * CO);
      }
    }
  }
  return out;
}
