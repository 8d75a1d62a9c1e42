// Saves two different large checkpoints to the same directory over and over, announcing each
// save on stdout, so that the parent test can SIGKILL it in the middle of one. Imports the
// BUILT package (run `pnpm build` first).
import { saveCheckpoint } from '../dist/node.js';

const [dir, sizeArg] = process.argv.slice(2);
const size = Number(sizeArg);

// Every value of version v is v (weights, step, loss history), so a loaded checkpoint tells
// which version it is, and a mixture of two versions would show.
const version = (v) => ({
  format: 'emb-training-snapshot',
  version: 1,
  createdAt: new Date(0).toISOString(),
  seed: 1,
  completedEpochs: v,
  batchInEpoch: 0,
  step: v,
  rng: { sampler: [v, v, v, v] },
  model: [{ name: 'w', shape: [size], dtype: 'float32', data: new Float32Array(size).fill(v) }],
  optimizer: {
    className: 'Adam',
    learningRate: 0.001,
    weights: [{ name: 'm', shape: [size], dtype: 'float32', data: new Float32Array(size).fill(v) }],
    extra: [],
  },
  lossVariables: [],
  lossState: null,
  callbacks: {},
  history: { epochs: [], stepLosses: new Float32Array(v).fill(v) },
  meta: { version: v },
});

const versions = [version(1), version(2)];
await saveCheckpoint(dir, versions[0]);
process.stdout.write('ready\n');
for (let i = 0; ; i++) {
  process.stdout.write(`saving ${i}\n`);
  await saveCheckpoint(dir, versions[i % 2]);
}
