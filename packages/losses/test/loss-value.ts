import type { Loss, LossInput } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';

/** `loss.compute` on plain arrays, read back as a number; throws if the call leaked tensors. */
export function lossValue(
  loss: Loss,
  embeddings: number[][],
  labels: number[] | null,
  extra: Omit<LossInput, 'embeddings' | 'labels'> = {},
): number {
  const before = tf.memory().numTensors;
  const e = tf.tensor2d(embeddings);
  const value = loss.compute({ embeddings: e, labels, ...extra });
  const out = value.dataSync()[0] as number;
  tf.dispose([e, value]);
  const after = tf.memory().numTensors;
  if (after !== before) throw new Error(`loss.compute leaked ${after - before} tensors`);
  return out;
}
