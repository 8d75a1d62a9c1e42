import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Index } from '@emb/core';
import { describeIndex } from '@emb/testkit';
import { afterAll } from 'vitest';
import { type PgvectorIndex, pgliteExecutor, pgvectorIndex } from './index.js';
import { freshDataDir } from './test-helpers.js';

// The testkit's index suite on embedded PGlite, compared with exactIndex. One database for
// the file (PGlite starts in seconds, not milliseconds); every index the suite makes gets a
// table of its own, and closing an index leaves the shared database open.
const dataDir = freshDataDir();
const executor = dataDir.then((dir) => pgliteExecutor({ dataDir: dir }));
let tables = 0;
const make = async (options: Record<string, unknown>) =>
  pgvectorIndex({ ...(options as { dim: number }), executor: await executor, table: `conformance_${tables++}` });

afterAll(async () => {
  await (await executor).close();
  rmSync(dirname(await dataDir), { recursive: true, force: true });
});

for (const distance of ['l2', 'cosine', 'dot'] as const) {
  describeIndex(make, {
    name: 'pgvector',
    options: { dim: 8, distance },
    // Called on the exact reference index too.
    dispose: (index: Index) =>
      index.name === 'pgvector' ? (index as PgvectorIndex).close() : (index as { dispose?: () => void }).dispose?.(),
    // The index does no tensor math (tensors are only read as input): one metric runs on both
    // backends (wasm and cpu tensors as input), the others on wasm only to keep the file quick.
    ...(distance === 'l2' ? {} : { backends: ['wasm'] as const }),
  });
}
