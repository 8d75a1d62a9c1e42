// Multi-similarity loss (cosine similarity, PML defaults alpha 2, beta 50, base 0.5).
import { initBackend } from '@emb/core';
import { multiSimilarityLoss } from '@emb/losses';
import * as tf from '@tensorflow/tfjs-core';

await initBackend();
const embeddings = tf.tensor2d([
  [1, 0.1],
  [1, -0.1],
  [0.1, 1],
  [-0.1, 1],
]);
const value = multiSimilarityLoss().compute({ embeddings, labels: [0, 0, 1, 1] });
console.log(`loss: ${(await value.data())[0]?.toFixed(4)}`);
