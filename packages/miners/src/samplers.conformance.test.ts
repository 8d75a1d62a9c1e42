import { describeSampler } from '@emb/testkit';
import { minersPlugin } from './index.js';

// Both built-in samplers pass the suite a third-party sampler runs.
const entry = (name: string) => {
  const found = minersPlugin.entries.find((e) => e.kind === 'sampler' && e.name === name);
  if (!found) throw new Error(`no sampler '${name}'`);
  return found;
};

describeSampler(entry('m-per-class'), {
  options: { m: 4, batchSize: 16 },
  classesPerBatch: 4,
  coversEpoch: true,
  badOptions: [{ m: 0 }, { batchSize: 10 }],
});

describeSampler(entry('class-balanced'), {
  options: { batchSize: 12 },
  numBatches: 4,
  badOptions: [{ batchSize: -1 }, { numBatches: 1.5 }],
});
