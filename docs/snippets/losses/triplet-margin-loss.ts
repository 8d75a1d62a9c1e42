// The triplet loss of a batch: every (anchor, positive, negative) the labels allow.
import { initBackend } from '@emb/core';
import { tripletMarginLoss } from '@emb/losses';
import * as tf from '@tensorflow/tfjs-core';

await initBackend();
const embeddings = tf.tensor2d([
  [1, 0],
  [0.9, 0.1],
  [0, 1],
  [0.2, 0.9],
]);
const labels = [0, 0, 1, 1];
const loss = tripletMarginLoss({ margin: 0.2 });
console.log(`well separated: ${(await loss.compute({ embeddings, labels }).data())[0]?.toFixed(4)}`);
const swapped = [0, 1, 0, 1]; // same points, labels that disagree with them
console.log(`mixed up: ${(await loss.compute({ embeddings, labels: swapped }).data())[0]?.toFixed(4)}`);
