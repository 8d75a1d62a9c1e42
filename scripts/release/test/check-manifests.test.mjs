// The manifest rules and the size measure on a throwaway built package: a good one passes, and
// each broken field is reported with the field's name.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { checkPackage } from '../check-manifests.mjs';
import { exportSnapshots, measureSize } from '../measure.mjs';

const dirs = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const goodManifest = () => ({
  name: '@emb/fixture',
  version: '0.1.0',
  description: 'A fixture.',
  type: 'module',
  license: 'MIT',
  sideEffects: ['./dist/register.js'],
  exports: {
    '.': { types: './dist/index.d.ts', default: './dist/index.js' },
    './register': { types: './dist/register.d.ts', default: './dist/register.js' },
    './package.json': './package.json',
  },
  files: ['dist', 'README.md'],
  engines: { node: '>=20' },
  repository: { type: 'git', url: 'https://example.invalid/emb.git', directory: 'packages/fixture' },
  publishConfig: { access: 'public' },
  dependencies: { '@emb/core': 'workspace:^', valibot: '1.4.0' },
  peerDependencies: { '@tensorflow/tfjs-core': '^4.22.0' },
});

function fixture(edit = (m) => m, files = {}) {
  const base = mkdtempSync(join(tmpdir(), 'emb-manifest-'));
  dirs.push(base);
  const dir = join(base, 'packages/fixture');
  const all = {
    'dist/index.js':
      "import * as tf from '@tensorflow/tfjs-core';\nimport { object } from 'valibot';\nimport '@emb/core';\nexport const big = 'x'.repeat(10) + tf.version_core + String(object);\n",
    'dist/index.d.ts': 'export declare const big: string;\n',
    'dist/register.js': "import { big } from './index.js';\nglobalThis.registered = big;\n",
    'dist/register.d.ts': 'export {};\n',
    'README.md': `# @emb/fixture\n\n${'A package that exists for a test. '.repeat(12)}\n\n\`npm install @emb/fixture\`\n`,
    ...files,
  };
  for (const [rel, text] of Object.entries(all)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  const manifest = edit(goodManifest());
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
  return { name: manifest.name, dir, rel: 'packages/fixture', manifest, private: false };
}

const check = (pkg) => checkPackage(pkg, { rootManifest: { engines: { node: '>=20' } } });

test('a package shaped like packages/distance passes every rule', async () => {
  assert.deepEqual(await check(fixture()), []);
});

test('types after default, tfjs as a dependency, a wrong directory and a stray test file are each reported', async () => {
  const pkg = fixture(
    (m) => {
      m.exports['.'] = { default: './dist/index.js', types: './dist/index.d.ts' };
      m.dependencies['@tensorflow/tfjs-core'] = '4.22.0';
      m.repository.directory = 'packages/other';
      m.files.push('test');
      return m;
    },
    { 'test/a.test.js': '' },
  );
  const problems = (await check(pkg)).join('\n');
  assert.match(problems, /exports\["\."\]: "types" must be the first condition/);
  assert.match(problems, /dependencies: @tensorflow\/tfjs-core must be a peerDependency/);
  assert.match(problems, /repository.directory: "packages\/other" should be "packages\/fixture"/);
  assert.match(problems, /files: would ship test\/a\.test\.js/);
});

test('a side effect outside the register entry, a missing README and an undeclared import are reported', async () => {
  const pkg = fixture(
    (m) => {
      m.sideEffects = ['./dist/index.js'];
      delete m.dependencies.valibot;
      return m;
    },
    { 'README.md': 'short' },
  );
  const problems = (await check(pkg)).join('\n');
  assert.match(problems, /sideEffects: \.\/dist\/index\.js is not a register entry/);
  assert.match(problems, /README\.md: 5 characters/);
  assert.match(problems, /imports valibot, but valibot is neither a dependency nor a peerDependency/);
});

test('a missing .d.ts, a missing peer and a non-workspace @emb range are reported', async () => {
  const pkg = fixture((m) => {
    m.exports['.'].types = './dist/main.d.ts';
    m.peerDependencies = {};
    m.dependencies['@emb/core'] = '^0.1.0';
    return m;
  });
  const problems = (await check(pkg)).join('\n');
  assert.match(problems, /types \.\/dist\/main\.d\.ts should sit beside \.\/dist\/index\.js/);
  assert.match(problems, /peerDependencies: add "@tensorflow\/tfjs-core"/);
  assert.match(problems, /@emb\/core@\^0\.1\.0: use "workspace:\^"/);
});

test('the size counts regular dependencies but not tfjs, @emb packages or peers', async () => {
  const pkg = fixture((m) => m, {
    'node_modules/valibot/package.json': JSON.stringify({ name: 'valibot', type: 'module', exports: './index.js' }),
    'node_modules/valibot/index.js': `export const object = ${JSON.stringify('v'.repeat(4000))};\n`,
  });
  const size = await measureSize(pkg);
  // The 4000-char string of the bundled dependency is in; tfjs and @emb/core are not resolved at all.
  assert.ok(size.total.min > 4000 && size.total.min < 5000, JSON.stringify(size));
  assert.ok(size.subpaths['.'].gz > 0 && size.subpaths['./register'].gz > 0);
});

test('the export snapshot lists runtime and type-only names and flags a .d.ts that differs from the code', async () => {
  const pkg = fixture((m) => m, {
    'dist/index.js': 'export const a = 1;\nexport function b() {}\n',
    'dist/index.d.ts':
      'export declare const a: number;\nexport declare const c: number;\nexport interface Shape { x: number }\nexport type Id = string;\n',
    'dist/register.js': 'globalThis.registered = true;\n',
  });
  const { snapshot, problems } = exportSnapshots([pkg])['@emb/fixture'];
  assert.deepEqual(snapshot['.'], { values: ['a', 'b'], types: ['Id', 'Shape'] });
  assert.deepEqual(snapshot['./register'], { values: [], types: [] });
  const text = problems.join('\n');
  assert.match(text, /does not declare runtime export\(s\) b/);
  assert.match(text, /declares value\(s\) c that \.\/dist\/index\.js does not export/);
});
