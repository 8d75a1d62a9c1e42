import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@emb/core';
import { describe, expect, it } from 'vitest';
import { clusteredRows } from './test-helpers.js';

// Worker threads load the built worker script, so this test runs the built package (like the
// crash test): run `pnpm build` first.
const dist = (f: string) => new URL(`../dist/${f}`, import.meta.url);

describe('enableWorkerThreads', () => {
  it('enableWorkerThreads gives the accuracy calculator the same neighbours as the main thread alone', async () => {
    if (!existsSync(fileURLToPath(dist('node.js')))) throw new Error('This test runs the built package: run `pnpm build` first.');
    await initBackend({ backend: 'wasm', quiet: true });
    const main = (await import(/* @vite-ignore */ dist('index.js').href)) as typeof import('./index.js');
    const node = (await import(/* @vite-ignore */ dist('node.js').href)) as typeof import('./node.js');
    const dim = 16;
    const { data, labels } = clusteredRows(30, 140, dim, 11, 1.2);
    const rows = Array.from({ length: labels.length }, (_, i) => data.subarray(i * dim, (i + 1) * dim));
    const calc = main.accuracyCalculator({ include: ['precisionAt1', 'meanAveragePrecision'], k: 10 });
    const alone = await calc.compute({ query: rows, queryLabels: labels });
    expect(await node.enableWorkerThreads({ threads: 1 })).toBe(1);
    try {
      const together = await calc.compute({ query: rows, queryLabels: labels });
      const a = alone.knn!.indices;
      const b = together.knn!.indices;
      let differ = 0;
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differ++;
      expect(b.length).toBe(a.length);
      expect(differ).toBe(0);
      expect(together.meanAveragePrecision).toBe(alone.meanAveragePrecision);
    } finally {
      await node.disableWorkerThreads();
    }
  }, 60_000);
});
