import { spawn } from 'node:child_process';
import { existsSync, type FSWatcher, watch } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, isEmbError } from '@emb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exactIndex } from './index.js';
import { loadIndex, saveIndex } from './node.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emb-index-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    if (isEmbError(e)) return e.code;
    throw e;
  }
  return undefined;
}

describe('saveIndex / loadIndex', () => {
  it('saveIndex then loadIndex gives back the same index and leaves no temporary file', async () => {
    const index = exactIndex({ dim: 3 });
    await index.add(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { ids: ['a', 'b'], labels: [1, 2], metadata: [{ x: 1 }, undefined] },
    );
    const path = join(dir, 'a.embidx');
    await saveIndex(index, path);
    expect((await readdir(dir)).filter((f) => f.startsWith('.a.embidx'))).toEqual([]);
    const loaded = await loadIndex(path, { dim: 3 });
    expect(loaded.get('a')).toEqual(index.get('a'));
    expect(loaded.get('b')).toEqual(index.get('b'));
    expect(Buffer.from(loaded.toBytes()).equals(Buffer.from(index.toBytes()))).toBe(true);
  });

  it('loadIndex gives IO for a missing file and CORRUPT_FILE / DIMENSION_MISMATCH for bad ones', async () => {
    expect(await codeOf(loadIndex(join(dir, 'missing.embidx')))).toBe('IO');
    const path = join(dir, 'b.embidx');
    const index = exactIndex({ dim: 2 });
    await index.add([[1, 2]]);
    await saveIndex(index, path);
    expect(await codeOf(loadIndex(path, { dim: 3 }))).toBe('DIMENSION_MISMATCH');
    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, bytes.length - 7));
    expect(await codeOf(loadIndex(path))).toBe('CORRUPT_FILE');
    expect(await codeOf(saveIndex(index, join(dir, 'no-such-dir', 'x.embidx')))).toBe('IO');
  });

  it('a process SIGKILLed in the middle of saveIndex leaves a loadable previous (or new) index', async () => {
    const child = fileURLToPath(new URL('../test/crash-child.mjs', import.meta.url));
    const dist = fileURLToPath(new URL('../dist/node.js', import.meta.url));
    if (!existsSync(dist))
      throw new Error('The crash test runs the built package: run `pnpm build` (or `pnpm --filter @emb/index build`) first.');
    const path = join(dir, 'crash.embidx');
    const count = 60_000;
    const dim = 64;
    const rng = createRng(7);
    let interruptedWrites = 0;
    for (let trial = 0; trial < 4; trial++) {
      const proc = spawn(process.execPath, [child, path, String(count), String(dim)], { stdio: ['ignore', 'pipe', 'inherit'] });
      const starts: number[] = [];
      const target = 2 + rng.int(2);
      // Even trials kill as soon as the temporary file appears (plus 0-25 ms: inside the
      // write, the fsync or the rename); odd trials at a random moment of a whole save.
      const onTempFile = trial % 2 === 0;
      let watcher: FSWatcher | undefined;
      await new Promise<void>((resolve, reject) => {
        proc.on('error', reject);
        proc.on('exit', () => resolve());
        proc.stdout.setEncoding('utf8');
        proc.stdout.on('data', (chunk: string) => {
          for (const _ of chunk.match(/saving/g) ?? []) {
            starts.push(performance.now());
            if (starts.length !== target) continue;
            if (onTempFile) {
              watcher = watch(dir, (_event, name) => {
                if (name?.endsWith('.tmp') && !proc.killed) setTimeout(() => proc.kill('SIGKILL'), rng.int(25));
              });
            } else {
              const cycle = (starts[target - 1] as number) - (starts[target - 2] as number);
              setTimeout(() => proc.kill('SIGKILL'), rng.next() * cycle);
            }
          }
        });
      });
      watcher?.close();
      expect(proc.signalCode).toBe('SIGKILL');
      if ((await readdir(dir)).some((f) => f.startsWith('.crash.embidx') && f.endsWith('.tmp'))) interruptedWrites++;
      const loaded = await loadIndex(path, { dim });
      expect(await loaded.size()).toBe(count);
      const first = loaded.get(0)!.vector[0]!;
      const last = loaded.get(count - 1)!.vector[dim - 1]!;
      expect([1, 2]).toContain(first);
      expect(last).toBe(first);
      expect(loaded.get(count - 1)!.label).toBe(first);
    }
    // At least one kill landed while a temporary file was being written.
    expect(interruptedWrites).toBeGreaterThan(0);
  }, 120_000);
});
