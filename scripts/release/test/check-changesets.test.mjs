// The changeset check on a throwaway git repository: a release cycle from a fresh package to a
// version bump, and what counts as a published change.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { checkChangesets, pendingChangesets } from '../check-changesets.mjs';

const dirs = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function repo() {
  const dir = mkdtempSync(join(tmpdir(), 'emb-changesets-'));
  dirs.push(dir);
  const sh = (...args) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  sh('init', '-q', '-b', 'main');
  sh('config', 'user.email', 't@example.invalid');
  sh('config', 'user.name', 't');
  const write = (rel, text) => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  const manifest = (name, version, extra = {}) =>
    `${JSON.stringify({ name, version, files: ['dist', 'README.md'], ...extra }, null, 2)}\n`;
  write('package.json', JSON.stringify({ name: 'root', private: true }));
  write('.changeset/config.json', '{}');
  write('packages/a/package.json', manifest('@emb/a', '0.1.0'));
  write('packages/a/src/index.ts', 'export const a = 1;\n');
  write('packages/b/package.json', manifest('@emb/b', '0.1.0'));
  write('packages/b/src/index.ts', 'export const b = 1;\n');
  write('packages/p/package.json', manifest('@emb/p', '0.0.0', { private: true }));
  sh('add', '-A');
  sh('commit', '-q', '-m', 'initial');
  const commit = (msg) => {
    sh('add', '-A');
    sh('commit', '-q', '-m', msg);
  };
  return { dir, write, manifest, commit, sh };
}

const problemsOf = (dir, opts) => checkChangesets(dir, opts).problems;

test('a package unchanged since the commit that set its version needs no changeset', () => {
  const { dir } = repo();
  assert.deepEqual(problemsOf(dir), []);
});

test('a source change without a changeset fails and names the package, until a changeset names it', () => {
  const { dir, write } = repo();
  write('packages/a/src/index.ts', 'export const a = 2;\n');
  const problems = problemsOf(dir);
  assert.equal(problems.length, 1);
  assert.match(problems[0], /@emb\/a: 1 published file\(s\) changed .*packages\/a\/src\/index\.ts/);
  write('.changeset/a.md', "---\n'@emb/a': minor\n---\n\nA is 2 now.\n");
  assert.deepEqual(problemsOf(dir), []);
});

test('tests, fixtures, benchmarks, scripts and devDependencies are not published changes', () => {
  const { dir, write, manifest } = repo();
  write('packages/a/src/index.test.ts', 'test\n');
  write('packages/a/test/fixtures/x.json', '{}');
  write('packages/a/test-node/x.test.mjs', '');
  write('packages/a/bench/x.mjs', '');
  write('packages/a/tsconfig.json', '{}');
  write('packages/a/package.json', manifest('@emb/a', '0.1.0', { scripts: { build: 'x' }, devDependencies: { x: '1' } }));
  assert.deepEqual(problemsOf(dir), []);
  write('packages/a/package.json', manifest('@emb/a', '0.1.0', { dependencies: { x: '1' } }));
  assert.equal(problemsOf(dir).length, 1);
});

test('after `changeset version` bumps the version, the next change needs a new changeset', () => {
  const { dir, write, manifest, commit } = repo();
  write('packages/a/src/index.ts', 'export const a = 2;\n');
  write('.changeset/a.md', "---\n'@emb/a': minor\n---\n\nA is 2 now.\n");
  commit('a: 2');
  // What `changeset version` does: bump, consume the changeset.
  write('packages/a/package.json', manifest('@emb/a', '0.2.0'));
  unlinkSync(join(dir, '.changeset/a.md'));
  commit('version packages');
  assert.deepEqual(problemsOf(dir), []);
  write('packages/a/src/index.ts', 'export const a = 3;\n');
  commit('a: 3');
  assert.match(problemsOf(dir).join('\n'), /@emb\/a: .*since commit \w+ that set version 0\.2\.0/);
});

test('a release tag is the baseline when there is one', () => {
  const { dir, write, commit, sh } = repo();
  write('packages/b/src/index.ts', 'export const b = 2;\n');
  commit('b: 2');
  assert.equal(problemsOf(dir).length, 1);
  sh('tag', '@emb/b@0.1.0');
  assert.deepEqual(problemsOf(dir), []);
});

test('a new package not yet committed needs a changeset', () => {
  const { dir, write, manifest } = repo();
  write('packages/c/package.json', manifest('@emb/c', '0.1.0'));
  assert.match(problemsOf(dir).join('\n'), /@emb\/c: new package with no changeset/);
  write('.changeset/c.md', "---\n'@emb/c': minor\n---\n\nNew.\n");
  assert.deepEqual(problemsOf(dir), []);
});

test('with a base ref, each change needs a changeset added since the merge base', () => {
  const { dir, write, commit, sh } = repo();
  write('.changeset/old.md', "---\n'@emb/a': patch\n---\n\nOld note.\n");
  commit('old note');
  sh('branch', 'base');
  write('packages/a/src/index.ts', 'export const a = 5;\n');
  commit('a: 5');
  assert.deepEqual(problemsOf(dir), []); // covered by the pending old note
  assert.equal(problemsOf(dir, { base: 'base' }).length, 1); // but the branch brought no note
  write('.changeset/new.md', "---\n'@emb/a': patch\n---\n\nA is 5.\n");
  assert.deepEqual(problemsOf(dir, { base: 'base' }), []);
});

test('a changeset naming an unknown or private package, or a bad bump, fails', () => {
  const { dir, write } = repo();
  write('.changeset/bad.md', "---\n'@emb/nope': minor\n'@emb/p': patch\n'@emb/a': huge\n---\n\nText.\n");
  const problems = problemsOf(dir).join('\n');
  assert.match(problems, /@emb\/nope is not a workspace package/);
  assert.match(problems, /@emb\/p is private/);
  assert.match(problems, /"huge" is not major\|minor\|patch/);
  write('.changeset/bad.md', 'no front matter');
  assert.throws(() => pendingChangesets(dir), /no front matter/);
});
