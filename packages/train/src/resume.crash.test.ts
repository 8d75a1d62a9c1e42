import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from './node.js';

const child = fileURLToPath(new URL('../test/resume-child.mjs', import.meta.url));
let dir: string;
beforeAll(async () => {
  if (!existsSync(fileURLToPath(new URL('../dist/node.js', import.meta.url))))
    throw new Error('This test runs the built package: run `pnpm build` (or `pnpm --filter @emb/train build`) first.');
  dir = await mkdtemp(join(tmpdir(), 'emb-resume-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface RunOutput {
  steps: number;
  losses: number[];
  weights: number[];
}

/** Runs the child; with `killAfterSave`, SIGKILLs it some milliseconds after that many checkpoint saves. */
function runChild(
  args: string[],
  killAfterSave?: { saves: number; delayMs: number },
): Promise<{ out?: RunOutput; signal: string | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    let stderr = '';
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    let saves = 0;
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => {
      text += chunk;
      if (!killAfterSave) return;
      for (const _ of chunk.match(/^saved /gm) ?? []) {
        if (++saves === killAfterSave.saves) setTimeout(() => proc.kill('SIGKILL'), killAfterSave.delayMs);
      }
    });
    proc.on('error', reject);
    proc.on('exit', (_code, signal) => {
      const last = text.trim().split('\n').pop() ?? '';
      resolve({ signal, stderr, ...(last.startsWith('{') ? { out: JSON.parse(last) as RunOutput } : {}) });
    });
  });
}

describe('resume after a crash', () => {
  it('a run SIGKILLed mid-training and resumed in a new process computes the same losses and weights as an uninterrupted run', async () => {
    const full = await runChild(['full']);
    expect(full.out?.steps, full.stderr).toBe(20);
    // Kill in the middle of epoch 3 (after the second checkpoint): 4 steps of 15 ms each.
    const killed = await runChild(['train', dir], { saves: 2, delayMs: 30 });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    expect(killed.out).toBeUndefined();
    const saved = await loadCheckpoint(dir);
    expect(saved.completedEpochs).toBeGreaterThanOrEqual(2);
    expect(saved.completedEpochs).toBeLessThan(5);
    const resumed = await runChild(['resume', dir]);
    expect(resumed.out?.steps, resumed.stderr).toBe(20);
    expect(resumed.out?.losses).toEqual(full.out?.losses);
    expect(resumed.out?.weights).toEqual(full.out?.weights);
  }, 120_000);
});
