import * as tf from '@tensorflow/tfjs-core';

interface WasmBackendLike {
  dataIdMap?: { get(id: unknown): { memoryOffset?: number } | undefined };
  wasm?: { HEAPU8?: Uint8Array };
}

/**
 * The values of a float32 tensor for immediate reading. On the WASM backend this is a view
 * into the WASM heap (no copy of a 4 MB tile per matMul); it is only valid until the next
 * tfjs call, so read it at once, then dispose the tensor. Elsewhere it is `dataSync()`.
 * @internal
 */
export function readTile(t: tf.Tensor): Float32Array {
  if (t.dtype === 'float32' && tf.getBackend() === 'wasm') {
    const backend = tf.backend() as unknown as WasmBackendLike;
    const offset = backend.dataIdMap?.get(t.dataId)?.memoryOffset;
    const heap = backend.wasm?.HEAPU8;
    if (typeof offset === 'number' && heap !== undefined && offset % 4 === 0 && offset + t.size * 4 <= heap.byteLength) {
      return new Float32Array(heap.buffer, heap.byteOffset + offset, t.size);
    }
  }
  return t.dataSync() as Float32Array;
}
