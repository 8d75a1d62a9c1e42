// Pairwise L2 distances between the rows of two small matrices.
import { initBackend } from '@emb/core';
import { lpDistance } from '@emb/distance';
import * as tf from '@tensorflow/tfjs-core';

await initBackend();
const query = tf.tensor2d([
  [1, 0],
  [0, 1],
]);
const ref = tf.tensor2d([
  [1, 0],
  [1, 1],
  [-1, 0],
]);
// normalizeEmbeddings (default true) puts every row on the unit circle first.
const d = lpDistance();
const rows = (await d.pairwise(query, ref).array()) as number[][];
for (const row of rows) console.log(row.map((x) => x.toFixed(3)).join('  '));
console.log(`isInverted: ${d.isInverted}`);
