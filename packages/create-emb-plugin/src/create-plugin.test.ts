import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPlugin, EmbPluginScaffoldError, main, pluginFiles, pluginNames, scaffoldVersions } from './index.js';

const repo = new URL('../../../', import.meta.url);
const versionOf = (dir: string) =>
  (JSON.parse(readFileSync(new URL(`${dir}/package.json`, repo), 'utf8')) as { version: string }).version;

describe('create-emb-plugin', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'create-emb-plugin-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('pluginNames derives the entry prefix from the scope, else from the name without emb-plugin-', () => {
    expect(pluginNames('@acme/emb-plugin-face-id')).toEqual({
      packageName: '@acme/emb-plugin-face-id',
      prefix: 'acme',
      short: 'face-id',
      ident: 'faceId',
      dirName: 'emb-plugin-face-id',
    });
    expect(pluginNames('emb-plugin-demo')).toMatchObject({
      prefix: 'demo',
      short: 'demo',
      ident: 'demo',
      dirName: 'emb-plugin-demo',
    });
    expect(pluginNames('@emb/plugin-example')).toMatchObject({ prefix: 'emb', short: 'example', ident: 'example' });
    expect(pluginNames('faces-emb-plugin')).toMatchObject({ prefix: 'faces', short: 'faces' });
    expect(() => pluginNames('My Plugin')).toThrow(EmbPluginScaffoldError);
    expect(() => pluginNames('My Plugin')).toThrow(/"My Plugin" is not a valid npm package name/);
  });

  it('the scaffolded sources are @emb/plugin-example, the tutorial example, byte for byte', () => {
    // The template is plugins/example with its names as placeholders; this keeps the two in step.
    const files = pluginFiles(pluginNames('@emb/plugin-example'));
    const exampleSrc = new URL('plugins/example/src/', repo);
    const names = readdirSync(exampleSrc).sort();
    expect([...files.keys()].filter((f) => f.startsWith('src/')).sort()).toEqual(names.map((n) => `src/${n}`));
    for (const name of names) {
      expect(files.get(`src/${name}`), name).toBe(readFileSync(new URL(name, exampleSrc), 'utf8'));
    }
  });

  it('writes @emb/* ranges read from its own package.json, resolved from workspace: to the released versions', () => {
    const versions = scaffoldVersions();
    for (const [name, dir] of [
      ['@emb/core', 'packages/core'],
      ['@emb/losses', 'packages/losses'],
      ['@emb/distance', 'packages/distance'],
      ['@emb/testkit', 'packages/testkit'],
    ] as const) {
      expect(versions[name]).toBe(`^${versionOf(dir)}`);
    }
    const pkg = JSON.parse(pluginFiles(pluginNames('emb-plugin-demo')).get('package.json') as string);
    expect(JSON.stringify(pkg)).not.toContain('workspace:');
    expect(pkg.peerDependencies).toEqual({ '@emb/core': `^${versionOf('packages/core')}`, '@tensorflow/tfjs-core': '^4.22.0' });
    expect(pkg.dependencies['@emb/losses']).toBe(`^${versionOf('packages/losses')}`);
    expect(pkg.devDependencies['@emb/testkit']).toBe(`^${versionOf('packages/testkit')}`);
    expect(pkg.devDependencies.vitest).toBe(versions.vitest);
    expect(pkg.keywords).toEqual(expect.arrayContaining(['emb-plugin', 'loss']));
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
  });

  it('writes a complete package into a new folder, with the plugin named after the package', () => {
    const created = createPlugin({ name: '@acme/emb-plugin-faces', dir: join(tmp, 'faces') });
    expect(created.files).toEqual([
      '.gitignore',
      'README.md',
      'package.json',
      'src/faces-plugin.ts',
      'src/index.ts',
      'src/register.ts',
      'src/simple-pair-loss.test.ts',
      'src/simple-pair-loss.ts',
      'tsconfig.json',
      'tsdown.config.ts',
      'vitest.config.ts',
    ]);
    const plugin = readFileSync(join(created.dir, 'src/faces-plugin.ts'), 'utf8');
    expect(plugin).toContain("name: '@acme/emb-plugin-faces'");
    expect(plugin).toContain("name: 'acme/simple-pair'");
    expect(plugin).toContain('export const facesPlugin = definePlugin(');
    expect(readFileSync(join(created.dir, 'README.md'), 'utf8')).not.toMatch(/__[A-Z]+__/);
    for (const f of created.files)
      expect(readFileSync(join(created.dir, f), 'utf8'), f).not.toMatch(/__(PACKAGE|PREFIX|SHORT|IDENT)__/);
  });

  it('refuses a folder that is not empty and says so', () => {
    const dir = join(tmp, 'busy');
    createPlugin({ name: 'emb-plugin-busy', dir });
    writeFileSync(join(dir, 'mine.txt'), 'keep');
    expect(() => createPlugin({ name: 'emb-plugin-busy', dir })).toThrow(/already exists and is not an empty folder/);
  });

  it('main prints the next steps, and the usage for a missing name', () => {
    const out: string[] = [];
    const err: string[] = [];
    expect(
      main(
        ['emb-plugin-cli', '--dir', join(tmp, 'cli')],
        (l) => out.push(l),
        (l) => err.push(l),
      ),
    ).toBe(0);
    expect(out.join('\n')).toMatch(/npm test/);
    expect(out.join('\n')).toContain('"loss": "cli/simple-pair"');
    expect(
      main(
        [],
        (l) => out.push(l),
        (l) => err.push(l),
      ),
    ).toBe(2);
    expect(err.join('\n')).toMatch(/Usage: create-emb-plugin <package-name>/);
    expect(
      main(
        ['Bad Name'],
        (l) => out.push(l),
        (l) => err.push(l),
      ),
    ).toBe(1);
    expect(err.join('\n')).toMatch(/not a valid npm package name/);
  });
});
