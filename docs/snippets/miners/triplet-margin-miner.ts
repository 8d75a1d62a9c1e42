// Which triplets of a batch still violate the margin? The miner returns their indices.
import { initBackend } from '@emb/core';
import { tripletMarginMiner } from '@emb/miners';
import * as tf from '@tensorflow/tfjs-core';

await initBackend();
const embeddings = tf.tensor2d([
  [1, 0],
  [0.8, 0.6],
  [0.6, 0.8],
  [0, 1],
]);
const labels = [0, 0, 1, 1];
for (const typeOfTriplets of ['all', 'hard', 'semihard'] as const) {
  const t = tripletMarginMiner({ margin: 0.2, typeOfTriplets }).mine({ embeddings, labels });
  if (t.kind === 'triplets') console.log(`${typeOfTriplets}: ${t.anchors.length} triplets`);
}
