import type * as tf from '@tensorflow/tfjs-core';
import { type KernelArgs, release, runWasmKernel } from './wasm-backend.js';

/**
 * Wraps the wasm `BatchMatMul` or `_FusedMatMul` kernel so that `transposeA`/`transposeB`
 * are done by an explicit `Transpose` first and the product by the plain (untransposed)
 * kernel.
 *
 * Why: tfjs-backend-wasm 4.22 hands the transpose flags to XNNPACK, whose transposed path
 * runs about 15x slower than the plain one (1024^3: ~1 vs ~18 GFLOP/s here), and every
 * matMul backward pass asks for a transposed product. A transpose is O(n^2) against the
 * product's O(n^3), so transposing first costs little and restores the plain speed.
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
      const t = runWasmKernel('Transpose', backend, { x }, { perm: swapLastTwo(x.shape.length) });
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

function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}
