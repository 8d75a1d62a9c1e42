// Batch-hard: for each anchor, its farthest positive and nearest negative.
import { initBackend } from '@emb/core';
import { batchHardMiner } from '@emb/miners';
import * as tf from '@tensorflow/tfjs-core';

await initBackend();
const embeddings = tf.tensor2d([
  [1, 0],
  [0.8, 0.6],
  [0.6, 0.8],
  [0, 1],
]);
const t = batchHardMiner().mine({ embeddings, labels: [0, 0, 1, 1] });
if (t.kind === 'triplets') {
  console.log(`anchors:   ${[...t.anchors].join(' ')}`);
  console.log(`positives: ${[...t.positives].join(' ')}`);
  console.log(`negatives: ${[...t.negatives].join(' ')}`);
}
