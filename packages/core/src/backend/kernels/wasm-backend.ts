import * as tf from '@tensorflow/tfjs-core';

/**
 * The members of tfjs-backend-wasm's `BackendWasm` that emb's kernels use. Declared here
 * rather than imported so that the kernels type-check without the backend's internals
 * and break loudly (in tests) if a future tfjs renames them.
 *
 * @internal
 */
export interface WasmBackend {
  /** Allocates an output on the wasm heap (uninitialised memory). */
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  /** A typed-array view of a tensor's bytes on the wasm heap. Invalid once the heap grows. */
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  /** Drops one reference to `dataId`, freeing it at zero. */
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}

/** The arguments every kernel function receives. @internal */
export interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: WasmBackend;
  attrs?: tf.NamedAttrMap;
}

/**
 * Runs another registered wasm kernel directly on `backend`, without the engine: no tape,
 * no tensor tracking, so composite kernels stay one kernel to the engine. The caller owns
 * the result and frees intermediates with {@link release}.
 *
 * @internal
 */
export function runWasmKernel(
  kernelName: string,
  backend: WasmBackend,
  inputs: tf.NamedTensorInfoMap | tf.TensorInfo[],
  attrs: Record<string, unknown> = {},
): tf.TensorInfo {
  const kernel = tf.getKernel(kernelName, 'wasm');
  if (kernel == null) throw new Error(`emb: the wasm backend has no '${kernelName}' kernel.`);
  return kernel.kernelFunc({
    inputs: inputs as tf.NamedTensorInfoMap,
    backend,
    attrs: attrs as tf.NamedAttrMap,
  }) as tf.TensorInfo;
}

/** Frees intermediates produced by {@link runWasmKernel}. @internal */
export function release(backend: WasmBackend, ...infos: tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** Reads `[N, H, W, C]` / `[KH, KW, CI, CO]` style shapes as a tuple of four numbers. @internal */
export function shape4(shape: readonly number[]): [number, number, number, number] {
  return [shape[0]!, shape[1]!, shape[2]!, shape[3]!];
}
