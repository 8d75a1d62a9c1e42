import type * as tf from '@tensorflow/tfjs-core';
import { type KernelArgs, release, type WasmBackend } from './wasm-backend.js';

/**
 * Wraps the wasm `BatchMatMul` or `_FusedMatMul` kernel so that `transposeA`/`transposeB`
 * are done by an explicit transpose first and the product by the plain (untransposed)
 * kernel.
 *
 * Why: tfjs-backend-wasm 4.22 hands the transpose flags to XNNPACK, whose transposed path
 * runs about 15x slower than the plain one (1024^3: ~1 vs ~18 GFLOP/s here), and every
 * matMul backward pass asks for a transposed product. A transpose is O(n^2) against the
 * product's O(n^3), so transposing first costs little and restores the plain speed. The
 * transpose is a cache-blocked JS loop over the wasm heap: 5x faster than the wasm
 * `Transpose` kernel for a 1024 x 1024 matrix (4 vs 20 ms), which matters next to a 100 ms product.
 *
 * `original` is the stock kernel config, captured before it is unregistered; its setup and
 * dispose hooks are kept so a re-initialised backend still sets up the wasm function.
 *
 * @internal
 */
export function fastTransposedMatMulConfig(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs) => {
    const attrs = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
    const call = (inputs: tf.NamedTensorInfoMap, a: Record<string, unknown>) =>
      original.kernelFunc({ ...args, inputs, attrs: a as tf.NamedAttrMap }) as tf.TensorInfo;
    if (!attrs.transposeA && !attrs.transposeB) return call(args.inputs, attrs);
    const { backend } = args;
    const temps: tf.TensorInfo[] = [];
    const inputs = { ...args.inputs };
    for (const [name, flag] of [
      ['a', attrs.transposeA],
      ['b', attrs.transposeB],
    ] as const) {
      const x = inputs[name];
      if (!flag || x == null) continue;
      const t = transposeLastTwo(backend, x);
      temps.push(t);
      inputs[name] = t;
    }
    try {
      return call(inputs, { ...attrs, transposeA: false, transposeB: false });
    } finally {
      release(backend, ...temps);
    }
  };
  return {
    kernelName: original.kernelName,
    backendName: original.backendName,
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
    ...(original.setupFunc ? { setupFunc: original.setupFunc } : {}),
    ...(original.disposeFunc ? { disposeFunc: original.disposeFunc } : {}),
  };
}

/** Side of the square tiles the transpose works in: small enough for both tiles to stay in L1. */
const TILE = 8;

/** `x` with its last two dimensions swapped, for each matrix of the batch. */
function transposeLastTwo(backend: WasmBackend, x: tf.TensorInfo): tf.TensorInfo {
  const rank = x.shape.length;
  const rows = x.shape[rank - 2]!;
  const cols = x.shape[rank - 1]!;
  const outShape = [...x.shape.slice(0, -2), cols, rows];
  const out = backend.makeOutput(outShape, x.dtype);
  // Views only after the allocation: a growing heap detaches older ones.
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const size = rows * cols;
  for (let base = 0; base < src.length; base += size) {
    for (let i0 = 0; i0 < rows; i0 += TILE) {
      const i1 = Math.min(i0 + TILE, rows);
      for (let j0 = 0; j0 < cols; j0 += TILE) {
        const j1 = Math.min(j0 + TILE, cols);
        for (let i = i0; i < i1; i++) {
          for (let j = j0, from = base + i * cols + j0; j < j1; j++, from++) dst[base + j * rows + i] = src[from]!;
        }
      }
    }
  }
  return out;
}
