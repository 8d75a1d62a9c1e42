// Train a linear embedding (8-D -> 2-D) with the triplet loss on four noisy clusters.
import { createRng, initBackend } from '@emb/core';
import { tripletMarginLoss } from '@emb/losses';
import * as tf from '@tensorflow/tfjs-core';

await initBackend();
const rng = createRng(7);
const centres = Array.from({ length: 4 }, () => Array.from({ length: 8 }, () => rng.normal()));
const labels = Array.from({ length: 64 }, (_, i) => i % 4);
const x = tf.tensor2d(labels.map((c) => centres[c]!.map((v) => v + 0.8 * rng.normal())));
const w = tf.variable(
  tf.tensor2d(
    Array.from({ length: 16 }, () => 0.3 * rng.normal()),
    [8, 2],
  ),
);

const loss = tripletMarginLoss({ margin: 0.2 });
const optimizer = tf.train.adam(0.05);
const losses: number[] = [];
for (let step = 0; step < 40; step++) {
  const value = optimizer.minimize(() => loss.compute({ embeddings: tf.matMul(x, w), labels }), true, [w]);
  losses.push((await value!.data())[0]!);
  value!.dispose();
}
console.log(`loss: ${losses[0]!.toFixed(3)} -> ${losses.at(-1)!.toFixed(3)}`);
console.log(`decreased: ${losses.at(-1)! < losses[0]!}`);

// The docs page draws these: the loss curve and the 2-D embeddings coloured by class.
export const plots = [
  { kind: 'line', title: 'triplet loss per step', values: losses },
  { kind: 'scatter', title: 'embeddings after training', points: (await tf.matMul(x, w).array()) as number[][], labels },
];
