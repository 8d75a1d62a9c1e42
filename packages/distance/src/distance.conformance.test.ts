import type { DescribeDistanceOptions } from '@emb/testkit';
import { describeDistance } from '@emb/testkit';
import { distancePlugin } from './index.js';

// Every built-in distance passes the suite a third-party distance runs, with its defaults and
// with the option combinations whose code paths differ.
const cases: Record<string, DescribeDistanceOptions[]> = {
  lp: [
    { badOptions: [{ p: 0.5 }, { power: 0 }] },
    { options: { normalizeEmbeddings: false, power: 2 }, backends: ['wasm'] },
    { options: { p: 1, normalizeEmbeddings: false }, backends: ['wasm'] },
    { options: { p: Number.POSITIVE_INFINITY }, backends: ['wasm'] },
  ],
  cosine: [{ badOptions: [{ normalizeEmbeddings: false }] }],
  'dot-product': [{}, { options: { normalizeEmbeddings: false }, backends: ['wasm'] }],
  snr: [{ symmetric: false }],
};

for (const entry of distancePlugin.entries) {
  for (const options of cases[entry.name] ?? [{}]) describeDistance(entry, { leakCalls: 10, ...options });
}
