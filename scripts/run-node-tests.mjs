#!/usr/bin/env node
// `pnpm test:node`: runs the plain-node suites (packages/*/test-node/*.test.mjs and
// plugins/*/test-node/*.test.mjs) with `node --test`, against the BUILT packages: they catch
// what vitest cannot, such as ESM resolution of the published dist. Build first (`pnpm build`).
// Each file runs in its own process (node --test's default), so one file's imports (e.g.
// tfjs-layers registering gradients) cannot mask another's. The exit code is node's.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const files = [];
for (const group of ['packages', 'plugins']) {
  const groupDir = join(root, group);
  if (!existsSync(groupDir)) continue;
  for (const name of readdirSync(groupDir).sort()) {
    const dir = join(groupDir, name, 'test-node');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).sort()) {
      if (file.endsWith('.test.mjs')) files.push(relative(root, join(dir, file)));
    }
  }
}

// The docs site's checks: snippets type-check and print their recorded output, every export has
// a heading on its API page, and the built site works in chromium (docs/test-node).
const docsTests = join(root, 'docs', 'test-node');
if (existsSync(docsTests)) {
  for (const file of readdirSync(docsTests).sort()) {
    if (file.endsWith('.test.mjs')) files.push(relative(root, join(docsTests, file)));
  }
}

if (files.length === 0) {
  console.log('test:node: no packages/*/test-node/*.test.mjs files');
  process.exit(0);
}
const result = spawnSync(process.execPath, ['--test', ...process.argv.slice(2), ...files], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
