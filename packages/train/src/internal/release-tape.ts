import * as tf from '@tensorflow/tfjs-core';

interface TapeState {
  activeTape: { saved?: tf.Tensor[] }[] | null;
  gradientDepth: number;
}

/**
 * Frees what a failed `tf.variableGrads` leaves behind. When the function being differentiated
 * throws (a NaN caught by validation, a shape error), tfjs 4.22 returns without clearing its
 * gradient tape: the tensors the tape saved for the backward pass stay kept (so no `tidy`
 * frees them) and are lost when the next gradient computation starts a new tape, which leaks
 * them for good. Call it when a gradient computation threw, outside any other one.
 * @internal
 */
export function releaseTape(): void {
  const state = (tf.engine() as unknown as { state: TapeState }).state;
  if (state.gradientDepth !== 0 || state.activeTape === null) return;
  for (const node of state.activeTape) for (const t of node.saved ?? []) t.dispose();
  state.activeTape = null;
}
