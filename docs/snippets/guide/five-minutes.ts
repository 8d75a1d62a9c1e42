// Train an embedding, enrol classes it never saw, search: the whole idea in one file.
import { createRng, initBackend } from '@emb/core';
import { exactIndex, knnClassifier } from '@emb/index';
import { multiSimilarityLoss } from '@emb/losses';
import { fit, type VariablesModel } from '@emb/train';
import * as tf from '@tensorflow/tfjs-core';

await initBackend(); // TensorFlow.js on WASM, with the gradients training needs

// Toy data: 10 classes of 16-D points. Train on classes 0-5; 6-9 stay unseen.
const rng = createRng(1);
const centres = Array.from({ length: 10 }, () => Array.from({ length: 16 }, () => rng.normal()));
const sample = (c: number) => centres[c]!.map((v) => v + 0.7 * rng.normal());
const trainLabels = Array.from({ length: 120 }, (_, i) => i % 6);
const x = tf.tensor2d(trainLabels.map(sample));

// 1. Train: a two-layer network, multi-similarity loss.
const w1 = tf.variable(
  tf.tensor2d(
    Array.from({ length: 16 * 32 }, () => 0.25 * rng.normal()),
    [16, 32],
  ),
);
const w2 = tf.variable(
  tf.tensor2d(
    Array.from({ length: 32 * 8 }, () => 0.25 * rng.normal()),
    [32, 8],
  ),
);
const model: VariablesModel = {
  apply: (input) => tf.matMul(tf.relu(tf.matMul(input as tf.Tensor2D, w1)), w2),
  trainableVariables: [w1, w2],
};
const result = await fit({
  model,
  data: { kind: 'labelled', x, labels: trainLabels },
  loss: multiSimilarityLoss(),
  optimizer: { name: 'adam', options: { learningRate: 0.01 } },
  batchSize: 60,
  epochs: 15,
  seed: 0,
});
const losses = result.history.stepLosses;
console.log(`trained ${result.steps} steps, loss ${losses[0]!.toFixed(3)} -> ${losses.at(-1)!.toFixed(3)}`);

// 2. Enrol classes 6-9 by example: 3 points each go into the index. No retraining.
const embed = (rows: number[][]) => (model.apply(tf.tensor2d(rows)) as tf.Tensor2D).arraySync();
const index = exactIndex({ dim: 8, distance: 'cosine' });
const newClasses = [6, 7, 8, 9];
const enrolLabels = newClasses.flatMap((c) => [c, c, c]);
await index.add(embed(enrolLabels.map(sample)), { labels: enrolLabels });

// 3. Search: classify fresh points of the new classes by their nearest enrolled neighbours.
const queryLabels = newClasses.flatMap((c) => Array.from({ length: 10 }, () => c));
const queries = embed(queryLabels.map(sample));
const predictions = await knnClassifier(index, { k: 3 }).classify(queries);
const correct = predictions.filter((p, i) => p.label === queryLabels[i]).length;
console.log(`new classes: ${correct} / ${queryLabels.length} correct (chance: ${queryLabels.length / 4})`);
const [hit] = await index.search([queries[0]!], 3);
console.log(`nearest to a query of class ${queryLabels[0]}: labels ${hit!.labels.join(', ')}`);
index.dispose();

export const plots = [
  { kind: 'line', title: 'multi-similarity loss per step', values: [...losses] },
  { kind: 'scatter', title: 'unseen classes 6-9, embedded', points: queries, labels: queryLabels },
];
