// fit(): batches, the loss, the optimizer and the bookkeeping, for any embedding function.
import { createRng, initBackend } from '@emb/core';
import { tripletMarginLoss } from '@emb/losses';
import { fit, type VariablesModel } from '@emb/train';
import * as tf from '@tensorflow/tfjs-core';

await initBackend();
const rng = createRng(11);
const centres = Array.from({ length: 3 }, () => Array.from({ length: 6 }, () => 2 * rng.normal()));
const labels = Array.from({ length: 60 }, (_, i) => i % 3);
const x = tf.tensor2d(labels.map((c) => centres[c]!.map((v) => v + rng.normal())));

const w = tf.variable(
  tf.tensor2d(
    Array.from({ length: 12 }, () => 0.3 * rng.normal()),
    [6, 2],
  ),
);
const model: VariablesModel = { apply: (input) => tf.matMul(input as tf.Tensor2D, w), trainableVariables: [w] };

const result = await fit({
  model,
  data: { kind: 'labelled', x, labels },
  loss: tripletMarginLoss({ margin: 0.2 }),
  optimizer: { name: 'adam', options: { learningRate: 0.05 } },
  batchSize: 30,
  epochs: 10,
  seed: 0,
});
const losses = result.history.stepLosses;
console.log(`steps: ${result.steps}, stopped: ${result.stopReason}`);
console.log(`first loss ${losses[0]!.toFixed(3)}, last loss ${losses.at(-1)!.toFixed(3)}`);

export const plots = [
  { kind: 'line', title: 'loss per step', values: [...losses] },
  { kind: 'scatter', title: 'embeddings after fit', points: (await model.apply(x).array()) as number[][], labels },
];
