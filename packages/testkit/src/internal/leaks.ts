import * as tf from '@tensorflow/tfjs-core';
import { fail } from '../conformance-check.js';

/**
 * Calls `step` once to warm caches, then `calls` times, and fails with the number of tensors
 * left behind per call when `tf.memory().numTensors` grew.
 */
export async function checkNoLeaks(what: string, step: () => unknown, calls: number): Promise<void> {
  await step();
  const before = tf.memory().numTensors;
  for (let i = 0; i < calls; i++) await step();
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) {
    const perCall = leaked / calls;
    fail(
      `${what} leaked ${Number.isInteger(perCall) ? perCall : perCall.toFixed(2)} tensors per call (${leaked} over ${calls} calls): run the computation in tf.tidy() and dispose what you keep.`,
    );
  }
}
