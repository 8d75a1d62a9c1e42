// Reducers turn per-pair or per-triplet terms into the scalar you minimise.
import { initBackend } from '@emb/core';
import { avgNonZeroReducer, contrastiveLoss, meanReducer } from '@emb/losses';
import * as tf from '@tensorflow/tfjs-core';

await initBackend();
const embeddings = tf.tensor2d([
  [1, 0],
  [0.6, 0.8],
  [0, 1],
]);
const labels = [0, 0, 1];
for (const [name, reducer] of [
  ['avgNonZeroReducer (default)', avgNonZeroReducer()],
  ['meanReducer', meanReducer()],
] as const) {
  const value = contrastiveLoss({ reducer }).compute({ embeddings, labels });
  console.log(`${name}: ${(await value.data())[0]?.toFixed(4)}`);
}
