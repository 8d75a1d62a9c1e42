import * as tf from '@tensorflow/tfjs-core';
import type { KernelArgs } from './wasm-backend.js';

/**
 * `UnsortedSegmentSum` for the wasm backend, which tfjs-backend-wasm 4.22 lacks although
 * `tf.gather`'s gradient needs it (tfjs issue 8082): without it no embedding lookup or
 * index-based loss can train on wasm.
 *
 * `out[s, ...] = sum of x[i, ...] over i with segmentIds[i] = s`, where `segmentIds` may
 * have any rank up to `x`'s and indexes its leading dimensions. Ids outside
 * `[0, numSegments)` are dropped, like TensorFlow does for negative ids. A single pass of
 * JS over the tensors' bytes on the wasm heap: no copy to another backend.
 *
 * @internal
 */
export function unsortedSegmentSum({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const x = inputs.x!;
  const segmentIds = inputs.segmentIds!;
  const numSegments = (attrs as unknown as tf.UnsortedSegmentSumAttrs).numSegments;
  const idsRank = segmentIds.shape.length;
  const innerShape = x.shape.slice(idsRank);
  const inner = tf.util.sizeFromShape(innerShape);
  const numIds = tf.util.sizeFromShape(segmentIds.shape);
  const out = backend.makeOutput([numSegments, ...innerShape], x.dtype);
  // Views only after the last allocation: a growing heap detaches older ones.
  const xs = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  const sums = backend.typedArrayFromHeap(out);
  sums.fill(0);
  for (let i = 0; i < numIds; i++) {
    const s = ids[i]!;
    if (s < 0 || s >= numSegments) continue;
    const from = i * inner;
    const to = s * inner;
    for (let j = 0; j < inner; j++) sums[to + j]! += xs[from + j]!;
  }
  return out;
}
