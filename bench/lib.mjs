// Shared helpers for `pnpm bench <name>`: timing with warm-up and medians, and the optional
// PyTorch peer (Debian's python3-torch), run side by side in the same process tree.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Median wall time (ms) of `fn` after `warmup` runs; `fn` must finish its work synchronously. */
export function timeIt(fn, { warmup = 2, runs = 7, maxMs = 4000 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  const times = [];
  const start = performance.now();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
    if (performance.now() - start > maxMs && times.length >= 3) break;
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** The python3 that has torch importable (Debian's /usr/bin/python3 first), or null. */
export function findTorchPython() {
  for (const py of ['/usr/bin/python3', 'python3']) {
    if (py.startsWith('/') && !existsSync(py)) continue;
    const r = spawnSync(py, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) return { python: py, version: r.stdout.trim() };
  }
  return null;
}

/** Runs a python bench script that prints one JSON object on its last line. */
export function runPython(python, script, args = []) {
  const r = spawnSync(python, [script, ...args], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '2' } });
  if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

export const fmt = (ms) => (ms === undefined || ms === null || Number.isNaN(ms) ? '-' : ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
export const ratio = (a, b) => (a && b ? `${(b / a).toFixed(2)}x` : '-');

/** Prints a table of rows (arrays of strings) with aligned columns. */
export function printTable(header, rows) {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => String(c).padStart(widths[i])).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

/**
 * Threads of the wasm backend in a bench: BENCH_THREADS (1-4 or 'auto'); default 'auto', the
 * machine's cores (at most 4), as PyTorch uses them.
 */
export function wasmThreads() {
  const t = process.env.BENCH_THREADS;
  return t === undefined || t === 'auto' ? 'auto' : Number(t);
}
