#!/usr/bin/env node
// `pnpm bench <name> [args...]` runs bench/<name>.mjs (with the args) in its own process;
// `pnpm bench` lists the benches. Benches import the built packages: run `pnpm build` first.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = fileURLToPath(new URL('../bench/', import.meta.url));
// lib.mjs holds shared helpers, not a bench.
const available = readdirSync(benchDir)
  .filter((f) => f.endsWith('.mjs') && f !== 'lib.mjs')
  .map((f) => f.slice(0, -'.mjs'.length))
  .sort();

const [name, ...args] = process.argv.slice(2);
if (!name) {
  console.log(`usage: pnpm bench <name> [args...]\nbenches: ${available.join(', ')}`);
  process.exit(0);
}
const file = join(benchDir, `${name}.mjs`);
if (!available.includes(name) || !existsSync(file)) {
  console.error(`pnpm bench: no bench named ${JSON.stringify(name)}; available: ${available.join(', ')}`);
  process.exit(2);
}
const result = spawnSync(process.execPath, [file, ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
