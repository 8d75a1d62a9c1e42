import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EmbError, type Plugin, quote, type Registry } from '@emb/core';

function isPlugin(x: unknown): x is Plugin {
  const p = x as Partial<Plugin> | null;
  return (
    p !== null &&
    typeof p === 'object' &&
    typeof p.name === 'string' &&
    Array.isArray(p.entries) &&
    typeof p.specificationVersion === 'number'
  );
}

/**
 * Imports each listed plugin package (or file path, relative to `baseDir`) and installs it in
 * `registry`. Nothing that is not listed is imported. A plugin module exports its plugin as
 * `plugin`, as the default export, or as any export whose name ends in `Plugin`.
 *
 * @throws {EmbError} `NOT_FOUND` when a listed plugin cannot be resolved (with the install
 *   command), `INVALID_ARGUMENT` when the module exports no plugin.
 * @example
 * await loadPlugins(['@acme/emb-plugin-x'], process.cwd(), registry);
 */
export async function loadPlugins(names: readonly string[], baseDir: string, registry: Registry): Promise<string[]> {
  const installed: string[] = [];
  const require = createRequire(join(resolve(baseDir), 'noop.js'));
  for (const name of names) {
    const isPath = name.startsWith('.') || isAbsolute(name);
    let url: string;
    try {
      url = pathToFileURL(isPath ? resolve(baseDir, name) : require.resolve(name)).href;
    } catch (cause) {
      throw new EmbError(
        'NOT_FOUND',
        `Plugin ${quote(name)} (listed in plugins) cannot be found from ${quote(baseDir)}; install it with \`npm install ${name}\`.`,
        { plugin: name },
        { cause },
      );
    }
    let mod: Record<string, unknown>;
    try {
      mod = (await import(url)) as Record<string, unknown>;
    } catch (cause) {
      throw new EmbError(
        'NOT_FOUND',
        `Plugin ${quote(name)} failed to load: ${(cause as Error).message}`,
        { plugin: name },
        { cause },
      );
    }
    const candidates = [
      mod.plugin,
      mod.default,
      ...Object.entries(mod)
        .filter(([k]) => k.endsWith('Plugin'))
        .map(([, v]) => v),
    ];
    const plugin = candidates.find(isPlugin);
    if (!plugin) {
      throw new EmbError(
        'INVALID_ARGUMENT',
        `Plugin ${quote(name)} exports no emb plugin: export one as \`plugin\` (or default) built with definePlugin({ name, specificationVersion, entries }).`,
        { plugin: name, exports: Object.keys(mod) },
      );
    }
    registry.use(plugin, { override: false });
    installed.push(plugin.name);
  }
  return installed;
}
