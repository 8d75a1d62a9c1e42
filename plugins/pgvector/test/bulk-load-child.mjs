// Child process of pgvector-crash.test.ts (runs the built package under plain node):
// commits `committed` vectors, then starts one bulk load of `loading` more and reports each
// batch on stdout. The parent SIGKILLs it in the middle of that load.
import { createRng } from '@emb/core';
import { pgvectorIndex } from '../dist/index.js';

export const DIM = 16;

export function rows(n, seed) {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: DIM }, () => rng.normal()));
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const [dataDir, committed, loading] = process.argv.slice(2);
  const index = pgvectorIndex({ dim: DIM, dataDir, batchSize: 500 });
  const n = Number(committed);
  await index.add(rows(n, 1), {
    ids: Array.from({ length: n }, (_, i) => `c${i}`),
    labels: Array.from({ length: n }, (_, i) => i % 7),
  });
  process.stdout.write('committed\n');
  await index.add(rows(Number(loading), 2), { onProgress: (done) => process.stdout.write(`progress ${done}\n`) });
  process.stdout.write('loaded\n');
  await index.close();
}
