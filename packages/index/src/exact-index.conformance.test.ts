import { describeIndex } from '@emb/testkit';
import { exactIndexFromBytes, indexPlugin } from './index.js';

// The exact index passes the suite every index plugin runs (it is also the suite's reference,
// so this checks the contract's edges: ids, filters, remove, upsert, k, persistence, leaks).
const entry = indexPlugin.entries.find((e) => e.kind === 'index' && e.name === 'exact');
if (!entry) throw new Error("no index 'exact'");

for (const distance of ['l2', 'cosine', 'dot'] as const) {
  describeIndex(entry, {
    options: { dim: 8, distance },
    load: (bytes) => exactIndexFromBytes(bytes),
    badOptions: [{ dim: 0 }, { distance: 'manhattan' }],
    // One metric on both backends; the others on wasm only keep the file quick.
    ...(distance === 'l2' ? {} : { backends: ['wasm'] as const }),
  });
}
