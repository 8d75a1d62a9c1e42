// Every docs snippet type-checks (the repo's strict settings) and, run under plain node on the
// wasm backend against the built packages, prints exactly its recorded output
// (docs/snippets/<package>/<name>.expected.txt). After changing a snippet on purpose:
// `node docs/scripts/snippets.mjs --update` and review the diff.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { docsRoot } from '../scripts/exports.mjs';
import { compileSnippets, listSnippets, normalise, readExpected, runSnippet } from '../scripts/snippets.mjs';

const snippets = listSnippets();
const compiled = compileSnippets();

// All markdown pages, to check that every snippet is shown somewhere.
function markdownFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (['node_modules', 'snippets', '.vitepress', '.snippets-build', 'public', 'scripts', 'test-node'].includes(e.name))
      return [];
    const p = join(dir, e.name);
    return e.isDirectory() ? markdownFiles(p) : e.name.endsWith('.md') ? [p] : [];
  });
}
const pages = markdownFiles(docsRoot)
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');

test('every docs snippet type-checks with tsc (strict, the repo settings)', () => {
  assert.ok(compiled.ok, `tsc -p docs/snippets/tsconfig.json failed:\n${compiled.output}`);
});

test('every docs snippet has a recorded output and appears on a page', () => {
  const problems = [];
  for (const s of snippets) {
    if (readExpected(s) === null)
      problems.push(`${s.id}: no ${s.name}.expected.txt (run node docs/scripts/snippets.mjs --update)`);
    if (!pages.includes(`<RunSnippet id="${s.id}"`)) problems.push(`${s.id}: no page shows it (<RunSnippet id="${s.id}" />)`);
  }
  assert.deepEqual(problems, []);
});

describe('docs snippets print their recorded output under node on wasm', { concurrency: 2 }, () => {
  for (const s of snippets) {
    test(`${s.id} prints its recorded output`, { skip: !compiled.ok && 'tsc failed' }, async () => {
      const r = await runSnippet(s);
      assert.equal(r.code, 0, `${s.id} exited with ${r.code}:\n${r.stderr.slice(-3000)}`);
      const expected = readExpected(s);
      assert.notEqual(expected, null, `${s.id} has no .expected.txt`);
      assert.equal(
        normalise(r.stdout),
        expected,
        `${s.id} printed something else (node docs/scripts/snippets.mjs --update records a new output)`,
      );
    });
  }
});
