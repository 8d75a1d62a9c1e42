import { describeIndex } from '@emb/testkit';
import { annPlugin, hnswIndexFromBytes } from './index.js';

// The suite every index runs, compared with exactIndex from @emb/index. On the suite's small
// sets (40 vectors) efSearch exceeds the set, so the graph search is exhaustive and the
// neighbours must be exactly the exact index's.
const entry = annPlugin.entries.find((e) => e.kind === 'index' && e.name === 'hnsw');
if (!entry) throw new Error("no index 'hnsw'");

for (const distance of ['l2', 'cosine', 'dot'] as const) {
  describeIndex(entry, {
    options: { dim: 8, distance, M: 8, efConstruction: 64, efSearch: 64 },
    load: (bytes) => hnswIndexFromBytes(bytes),
    badOptions: [{ dim: 0 }, { distance: 'manhattan' }, { M: 0 }, { efSearch: 1.5 }, { threads: -1 }],
    // One metric on both backends (wasm and cpu tensors as input); the others on wasm only.
    ...(distance === 'l2' ? {} : { backends: ['wasm'] as const }),
  });
}

// Half-precision storage: the graph ranks approximately, the results are re-ranked exactly.
describeIndex(entry, {
  options: { dim: 8, distance: 'l2', quantization: 'bf16' },
  name: 'hnsw (bf16)',
  load: (bytes) => hnswIndexFromBytes(bytes),
  badOptions: [{ quantization: 'i8' }],
  backends: ['wasm'] as const,
});
