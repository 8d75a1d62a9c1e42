import { spawn } from 'node:child_process';
import { existsSync, type FSWatcher, watch } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, isEmbError } from '@emb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from './node.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emb-ckpt-crash-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('saveCheckpoint under SIGKILL', () => {
  it('a process SIGKILLed in the middle of saveCheckpoint leaves the previous (or the new) checkpoint, never a mixture', async () => {
    const child = fileURLToPath(new URL('../test/crash-checkpoint-child.mjs', import.meta.url));
    const dist = fileURLToPath(new URL('../dist/node.js', import.meta.url));
    if (!existsSync(dist))
      throw new Error('The crash test runs the built package: run `pnpm build` (or `pnpm --filter @emb/train build`) first.');
    // 2 x 2M floats: a 16 MB file, long enough to write that kills land inside a save.
    const size = 2_000_000;
    const rng = createRng(11);
    let interrupted = 0;
    const seen = new Set<number>();
    for (let trial = 0; trial < 4; trial++) {
      const proc = spawn(process.execPath, [child, dir, String(size)], { stdio: ['ignore', 'pipe', 'inherit'] });
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
      if ((await readdir(dir)).some((f) => f.endsWith('.tmp'))) interrupted++;
      let loaded: Awaited<ReturnType<typeof loadCheckpoint>>;
      try {
        loaded = await loadCheckpoint(dir);
      } catch (e) {
        // Acceptable only as a typed rejection; with atomic saves it does not happen.
        expect(isEmbError(e, 'CORRUPT_FILE'), String(e)).toBe(true);
        throw new Error(`the checkpoint was left unreadable: ${String(e)}`);
      }
      const v = loaded.step;
      expect([1, 2]).toContain(v);
      seen.add(v);
      // Every part of the file is from the same version.
      const weights = loaded.model[0]?.data as Float32Array;
      const moments = loaded.optimizer.weights[0]?.data as Float32Array;
      expect(weights.length).toBe(size);
      expect(weights.every((x) => x === v)).toBe(true);
      expect(moments.every((x) => x === v)).toBe(true);
      expect(loaded.completedEpochs).toBe(v);
      expect(loaded.history.stepLosses.length).toBe(v);
      expect(loaded.meta).toEqual({ version: v });
      // Leftover temporary files from the killed process are harmless; clear them for the next trial.
      for (const f of await readdir(dir)) if (f.endsWith('.tmp')) await rm(join(dir, f));
    }
    // At least one kill landed while a temporary file was being written.
    expect(interrupted).toBeGreaterThan(0);
  }, 120_000);
});
