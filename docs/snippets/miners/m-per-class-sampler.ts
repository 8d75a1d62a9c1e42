// Batches with m rows of each class, so every batch has positives to mine.
import { createRng } from '@emb/core';
import { mPerClassSampler } from '@emb/miners';

const labels = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2];
const sampler = mPerClassSampler({ m: 2, batchSize: 4 });
for (const rows of sampler.epoch(labels, createRng(0))) {
  console.log(`rows ${[...rows].join(',')} labels ${[...rows].map((i) => labels[i]).join(',')}`);
}
