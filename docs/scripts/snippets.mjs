// The runnable snippets: docs/snippets/<package>/<name>.ts, each with the output it prints under
// Node on the wasm backend in <name>.expected.txt. `compileSnippets` type-checks them all (tsc,
// strict, the repo's settings) into docs/.snippets-build; `runSnippet` runs one under plain node.
// `node scripts/snippets.mjs --update` rewrites every .expected.txt from a fresh run.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { docsRoot } from './exports.mjs';

const snippetsDir = join(docsRoot, 'snippets');
const buildDir = join(docsRoot, '.snippets-build');

/** [{ id: 'losses/overview', pkg, name, ts, js, expectedFile, nodeOnly }] */
export function listSnippets() {
  const out = [];
  for (const pkg of readdirSync(snippetsDir, { withFileTypes: true })) {
    if (!pkg.isDirectory()) continue;
    for (const file of readdirSync(join(snippetsDir, pkg.name)).sort()) {
      if (!file.endsWith('.ts')) continue;
      const name = file.slice(0, -3);
      out.push({
        id: `${pkg.name}/${name}`,
        pkg: pkg.name,
        name,
        ts: join(snippetsDir, pkg.name, file),
        js: join(buildDir, pkg.name, `${name}.js`),
        expectedFile: join(snippetsDir, pkg.name, `${name}.expected.txt`),
        nodeOnly: name.endsWith('.node'),
      });
    }
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/** Type-checks and compiles every snippet; returns { ok, output }. */
export function compileSnippets() {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(snippetsDir, 'tsconfig.json')], { encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

/** Runs one compiled snippet under node; resolves { code, stdout, stderr }. */
export function runSnippet(snippet, timeoutMs = 60_000) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [snippet.js], { cwd: docsRoot, timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export const normalise = (text) =>
  text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trim();

export function readExpected(snippet) {
  return existsSync(snippet.expectedFile) ? normalise(readFileSync(snippet.expectedFile, 'utf8')) : null;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()) && process.argv.includes('--update')) {
  const c = compileSnippets();
  if (!c.ok) {
    console.error(c.output);
    process.exit(1);
  }
  for (const s of listSnippets()) {
    const r = await runSnippet(s);
    if (r.code !== 0) {
      console.error(`${s.id} failed:\n${r.stderr}`);
      process.exitCode = 1;
      continue;
    }
    writeFileSync(s.expectedFile, `${normalise(r.stdout)}\n`);
    console.log(`${s.id}:\n${normalise(r.stdout)}\n`);
  }
}
