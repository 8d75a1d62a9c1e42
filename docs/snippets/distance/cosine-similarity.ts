// Cosine similarity: larger is closer, so the distance is "inverted".
import { initBackend } from '@emb/core';
import { cosineSimilarity } from '@emb/distance';
import * as tf from '@tensorflow/tfjs-core';

await initBackend();
const x = tf.tensor2d([
  [3, 4],
  [4, 3],
  [-3, -4],
]);
const s = cosineSimilarity();
const rows = (await s.pairwise(x).array()) as number[][];
for (const row of rows) console.log(row.map((v) => v.toFixed(2).padStart(5)).join(' '));
console.log(`isInverted: ${s.isInverted}`);
