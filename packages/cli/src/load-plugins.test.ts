import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry, isEmbError } from '@emb/core';
import { lossesPlugin } from '@emb/losses';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEmbConfig } from './emb-config.js';
import { loadPlugins } from './load-plugins.js';

// Plugin modules written as a third party would publish them: plain objects, a Standard
// Schema for options, and a marker on globalThis that tells whether the module was imported.
const imported = () => ((globalThis as { __embImported?: string[] }).__embImported ??= []);

function pluginModule(id: string, o: { pkg: string; entry: string; kind?: string; spec?: number | null }): string {
  const spec = o.spec === null ? '' : `specificationVersion: ${o.spec ?? 1},`;
  return `(globalThis.__embImported ??= []).push(${JSON.stringify(id)});
const options = { '~standard': { version: 1, vendor: 'test', validate: (value) => ({ value: value ?? {} }) } };
export const plugin = {
  name: ${JSON.stringify(o.pkg)},
  ${spec}
  entries: [{ kind: ${JSON.stringify(o.kind ?? 'loss')}, name: ${JSON.stringify(o.entry)}, options, create: () => ({ name: ${JSON.stringify(`${id}:${o.entry}`)} }) }],
};
`;
}

describe('loadPlugins', () => {
  const dir = mkdtempSync(join(tmpdir(), 'emb-load-plugins-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  };
  // Two installed packages that both look like emb plugins (keyword emb-plugin).
  for (const name of ['emb-plugin-listed', 'emb-plugin-unlisted']) {
    write(
      `node_modules/${name}/package.json`,
      JSON.stringify({ name, version: '1.0.0', type: 'module', main: 'index.js', keywords: ['emb-plugin'] }),
    );
    write(`node_modules/${name}/index.js`, pluginModule(name, { pkg: name, entry: `${name}/loss` }));
  }
  write('replaces-triplet.mjs', pluginModule('replaces-triplet', { pkg: '@acme/replaces', entry: 'triplet-margin' }));
  write('future.mjs', pluginModule('future', { pkg: '@acme/future', entry: 'acme/future', spec: 2 }));
  write(
    'schemaless.mjs',
    `export const plugin = { name: '@acme/schemaless', specificationVersion: 1, entries: [{ kind: 'loss', name: 'acme/s', create: () => ({}) }] };\n`,
  );
  write('versionless.mjs', pluginModule('versionless', { pkg: '@acme/versionless', entry: 'acme/v', spec: null }));

  const withBuiltIns = () => {
    const registry = createRegistry();
    registry.use(lossesPlugin);
    return registry;
  };
  const failure = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      return e as Error;
    }
    throw new Error('expected loadPlugins to throw');
  };

  it('loadPlugins imports only the packages the config lists, though others are installed', async () => {
    const registry = withBuiltIns();
    const installed = await loadPlugins(['emb-plugin-listed'], dir, registry);
    expect(installed).toEqual(['emb-plugin-listed']);
    expect(imported()).toContain('emb-plugin-listed');
    expect(imported()).not.toContain('emb-plugin-unlisted');
    expect(registry.has('loss', 'emb-plugin-listed/loss')).toBe(true);
    expect(registry.has('loss', 'emb-plugin-unlisted/loss')).toBe(false);
    expect(await loadPlugins([], dir, registry)).toEqual([]);
  });

  it('loadPlugins refuses a plugin that would replace a built-in entry, installs nothing of it, and says how to allow it', async () => {
    const registry = withBuiltIns();
    const before = registry.list().length;
    const error = await failure(loadPlugins(['./replaces-triplet.mjs'], dir, registry));
    expect(isEmbError(error, 'DUPLICATE_ENTRY')).toBe(true);
    expect(error.message).toContain('would replace the loss "triplet-margin" of @emb/losses');
    expect(error.message).toContain('{ "name": "./replaces-triplet.mjs", "override": true }');
    expect(registry.list().length).toBe(before);
    expect(registry.list('loss').find((e) => e.name === 'triplet-margin')?.plugin).toBe('@emb/losses');
  });

  it('loadPlugins lets a plugin listed with override: true replace a built-in entry', async () => {
    const registry = withBuiltIns();
    await loadPlugins([{ name: './replaces-triplet.mjs', override: true }], dir, registry);
    expect(registry.list('loss').find((e) => e.name === 'triplet-margin')?.plugin).toBe('@acme/replaces');
    expect(registry.create('loss', 'triplet-margin').name).toBe('replaces-triplet:triplet-margin');
  });

  it('loadPlugins refuses a plugin for another specificationVersion, naming the versions that match', async () => {
    const registry = withBuiltIns();
    const error = await failure(loadPlugins(['./future.mjs'], dir, registry));
    expect(isEmbError(error, 'SPEC_VERSION')).toBe(true);
    expect(error.message).toMatch(/built for emb specification version 2, but this @emb\/core supports 1\./);
    expect(error.message).toContain('built for specification 1');
    expect(error.message).toContain('listed in plugins as "./future.mjs"');
    expect(registry.has('loss', 'acme/future')).toBe(false);
    const versionless = await failure(loadPlugins(['./versionless.mjs'], dir, registry));
    expect(isEmbError(versionless, 'SPEC_VERSION')).toBe(true);
    expect(versionless.message).toMatch(/declares no specificationVersion; this @emb\/core supports 1/);
  });

  it('loadPlugins refuses a plugin entry without an option schema, naming the plugin as listed', async () => {
    const registry = withBuiltIns();
    const error = await failure(loadPlugins(['./schemaless.mjs'], dir, registry));
    expect(isEmbError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect(error.message).toMatch(/Registry entry loss "acme\/s" has no option schema: set `options` to a Standard Schema/);
    expect(error.message).toContain('listed in plugins as "./schemaless.mjs"');
    expect(registry.has('loss', 'acme/s')).toBe(false);
  });

  it('loadPlugins names a listed plugin that is not installed and the command to install it', async () => {
    const error = await failure(loadPlugins(['emb-plugin-missing'], dir, createRegistry()));
    expect(isEmbError(error, 'NOT_FOUND')).toBe(true);
    expect(error.message).toContain('npm install emb-plugin-missing');
  });

  it('emb.config.json lists plugins by name or as { name, override }', () => {
    const c = parseEmbConfig({
      dataset: { name: 'mnist-digits' },
      plugins: ['@acme/emb-plugin-x', { name: './mine.mjs', override: true }],
    });
    expect(c.plugins).toEqual(['@acme/emb-plugin-x', { name: './mine.mjs', override: true }]);
    expect(() => parseEmbConfig({ dataset: { name: 'mnist-digits' }, plugins: [{ name: 'x', overide: true }] })).toThrow(
      /config\.plugins\[0\]\.overide: unknown field/,
    );
  });
});
