import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pgvectorIndex } from './index.js';
import { freshDataDir } from './test-helpers.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const child = join(root, 'test', 'bulk-load-child.mjs');

/** The child runs the built package under plain node: build it when dist is missing or older than src. */
function ensureBuilt(): void {
  const dist = join(root, 'dist', 'index.js');
  const newest = Math.max(
    ...readdirSync(join(root, 'src'))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => statSync(join(root, 'src', f)).mtimeMs),
  );
  if (existsSync(dist) && statSync(dist).mtimeMs >= newest) return;
  const r = spawnSync('pnpm', ['exec', 'tsdown'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building @emb/plugin-pgvector for the child process failed:\n${r.stdout}\n${r.stderr}`);
}

describe('pgvectorIndex crash consistency', () => {
  it('a process SIGKILLed during a bulk load leaves the table consistent, and reopening finds every committed vector', {
    timeout: 180_000,
  }, async () => {
    ensureBuilt();
    const { DIM, rows } = (await import(/* @vite-ignore */ child)) as {
      DIM: number;
      rows: (n: number, seed: number) => number[][];
    };
    const dataDir = await freshDataDir();
    const committed = 2000;
    const proc = spawn(process.execPath, [child, dataDir, String(committed), '20000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stderr.on('data', (d) => {
      err += String(d);
    });
    const killedAt = await new Promise<string>((resolve, reject) => {
      proc.stdout.on('data', (d) => {
        out += String(d);
        // Two batches (1,000 rows) of the second load are written, uncommitted: kill now.
        if (/progress 1000\n/.test(out) && proc.exitCode === null && !proc.killed) {
          proc.kill('SIGKILL');
          resolve(out.trim().split('\n').pop() ?? '');
        }
      });
      proc.on('exit', (code, signal) => {
        if (signal !== 'SIGKILL') reject(new Error(`child exited (${code}, ${signal}) before the kill:\n${out}\n${err}`));
      });
    });
    await new Promise((r) => proc.once('close', r));
    expect(out).toMatch(/committed\n/);
    expect(out).not.toMatch(/loaded/);
    expect(killedAt).toMatch(/^progress \d+$/);

    const index = pgvectorIndex({ dim: DIM, dataDir });
    try {
      // None of the killed load; all of the committed one.
      expect(await index.size()).toBe(committed);
      const want = rows(committed, 1);
      for (const i of [0, 1, 777, committed - 1]) {
        const entry = await index.get(`c${i}`);
        expect(entry?.label).toBe(i % 7);
        expect(Array.from(entry!.vector)).toEqual(Array.from(Float32Array.from(want[i]!)));
      }
      // Every committed vector is there (checked by id in one query), and search finds a sample.
      const { rows: present } = await index.executor.query<{ n: number }>(
        `SELECT count(*)::integer AS n FROM emb_vectors WHERE id ?| $1::text[]`,
        [`{${Array.from({ length: committed }, (_, i) => `c${i}`).join(',')}}`],
      );
      expect(present[0]?.n).toBe(committed);
      const sample = [3, 500, 1999];
      const found = await index.search(
        sample.map((i) => want[i]!),
        1,
      );
      expect(found.map((r) => r.ids[0])).toEqual(sample.map((i) => `c${i}`));
      // The auto-id counter rolled back with the load: the next auto id is 0.
      expect(await index.add([want[0]!])).toEqual([0]);
      expect(await index.size()).toBe(committed + 1);
    } finally {
      await index.close();
      rmSync(dirname(dataDir), { recursive: true, force: true });
    }
  });
});
