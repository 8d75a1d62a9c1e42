// One training run for the kill-and-resume test, in its own process. Imports the BUILT
// packages (run `pnpm build` first).
//   node resume-child.mjs full            -> trains 5 epochs, prints the step losses as JSON
//   node resume-child.mjs train <dir>     -> trains with a checkpoint every epoch, slowly, until killed
//   node resume-child.mjs resume <dir>    -> resumes from <dir>, prints the step losses as JSON
import { createRng, initBackend } from '@emb/core';
import { tripletMarginLoss } from '@emb/losses';
import { mPerClassSampler, tripletMarginMiner } from '@emb/miners';
import * as tf from '@tensorflow/tfjs-core';
import { fit } from '../dist/index.js';
import { checkpoint } from '../dist/node.js';

const [mode, dir] = process.argv.slice(2);
const EPOCHS = 5;
await initBackend({ backend: 'wasm', quiet: true });

const rng = createRng(3);
const n = 64;
const x = tf.tensor2d(
  Float32Array.from({ length: n * 8 }, (_, i) => rng.normal() + (i % 8 === Math.floor(i / 8) % 8 ? 2 : 0)),
  [n, 8],
);
const labels = Int32Array.from({ length: n }, (_, i) => i % 8);
const wrng = createRng(5);
const w1 = tf.variable(
  tf.tensor2d(
    Float32Array.from({ length: 8 * 16 }, () => wrng.normal() * 0.4),
    [8, 16],
  ),
);
const w2 = tf.variable(
  tf.tensor2d(
    Float32Array.from({ length: 16 * 4 }, () => wrng.normal() * 0.4),
    [16, 4],
  ),
);
const model = { apply: (input) => tf.matMul(tf.relu(tf.matMul(input, w1)), w2), trainableVariables: [w1, w2] };

const callbacks = [];
if (mode !== 'full') callbacks.push(checkpoint({ dir, onSave: (_p, info) => process.stdout.write(`saved ${info.epoch}\n`) }));
if (mode === 'train') {
  // Slow enough that the parent's kill lands inside an epoch or a save.
  callbacks.push({ name: 'slow', onBatchEnd: () => new Promise((r) => setTimeout(r, 15)) });
}
const result = await fit({
  model,
  data: { kind: 'labelled', x, labels },
  loss: tripletMarginLoss({ margin: 0.2 }),
  miner: tripletMarginMiner({ margin: 0.2, typeOfTriplets: 'semihard' }),
  sampler: mPerClassSampler({ m: 4, batchSize: 16 }),
  optimizer: { name: 'adam', options: { learningRate: 0.01 } },
  epochs: EPOCHS,
  seed: 'resume',
  callbacks,
  ...(mode === 'resume' ? { resumeFrom: dir } : {}),
});
process.stdout.write(
  `${JSON.stringify({ steps: result.steps, losses: result.history.stepLosses, weights: Array.from(w2.dataSync()) })}\n`,
);
