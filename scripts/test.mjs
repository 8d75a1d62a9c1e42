#!/usr/bin/env node
// The README's test command: build every package, run the vitest suites (sources, wasm and
// cpu backends), then the plain-node suites against the built packages, then the type
// check and the package checks (publint, attw; each counted as one test), and close with one summary line
// "N passed, M failed" that CI can read.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { stdio: 'inherit', ...opts });

const build = run('pnpm', ['build']);
if (build.status !== 0) {
  console.error('build failed');
  process.exit(build.status ?? 1);
}

const dir = mkdtempSync(join(tmpdir(), 'emb-test-'));
const jsonFile = join(dir, 'vitest.json');
const vitest = run('pnpm', ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${jsonFile}`]);
let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(jsonFile)) {
  const report = JSON.parse(readFileSync(jsonFile, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  // A suite that failed to load counts as a failure even when no test inside it ran.
  failed += report.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length;
} else {
  failed += 1;
}

const node = spawnSync('node', ['scripts/run-node-tests.mjs'], { encoding: 'utf8', stdio: ['inherit', 'pipe', 'inherit'] });
process.stdout.write(node.stdout ?? '');
// node --test ends with "# pass N", "# fail N", "# skipped N" lines (one block per run).
const count = (name) =>
  [...(node.stdout ?? '').matchAll(new RegExp(`^# ${name} (\\d+)$`, 'gm'))].reduce((n, m) => n + Number(m[1]), 0);
passed += count('pass');
failed += count('fail');
skipped += count('skipped');
if (node.status !== 0 && count('fail') === 0) failed += 1;
rmSync(dir, { recursive: true, force: true });

// Types: tsc --noEmit over every package's sources and tests (counted as one test).
const typecheck = run('pnpm', ['turbo', 'run', 'typecheck', '--output-logs=errors-only']);
if (typecheck.status === 0) passed += 1;
else failed += 1;

// Lint and format: biome over the repository (errors fail; warnings are printed only).
const lint = run('pnpm', ['exec', 'biome', 'check', '.', '--diagnostic-level=error']);
if (lint.status === 0) passed += 1;
else failed += 1;

// What is published: publint --strict and are-the-types-wrong on every package.
const packaging = run('pnpm', ['turbo', 'run', 'test:build', '--output-logs=errors-only']);
if (packaging.status === 0) passed += 1;
else failed += 1;

// Release readiness (scripts/release-check.mjs: manifests, sizes, export snapshots, changesets;
// each check counts as a test). In CI (CI=true) or with EMB_RELEASE_E2E=1 it also runs the
// local-registry release test (publish to verdaccio, install into fresh projects).
const releaseDir = mkdtempSync(join(tmpdir(), 'emb-release-'));
const releaseSummary = join(releaseDir, 'summary.json');
const e2e = process.env.CI === 'true' || process.env.EMB_RELEASE_E2E === '1' ? ['--e2e'] : [];
const release = run('node', ['scripts/release-check.mjs', '--no-build', '--summary', releaseSummary, ...e2e]);
if (existsSync(releaseSummary)) {
  const r = JSON.parse(readFileSync(releaseSummary, 'utf8'));
  passed += r.passed;
  failed += r.failed;
} else failed += 1;
rmSync(releaseDir, { recursive: true, force: true });

console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
const anyFailed = [vitest, node, typecheck, lint, packaging, release].some((r) => r.status !== 0);
process.exit(failed > 0 || anyFailed ? 1 : 0);
