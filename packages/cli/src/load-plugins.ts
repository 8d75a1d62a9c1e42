import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EmbError, isEmbError, type Plugin, quote, type Registry, supportedSpecificationVersions } from '@emb/core';

/** A plugin to load: a package name or path, optionally allowed to replace existing entries. */
export type PluginSpec = string | { readonly name: string; readonly override?: boolean | undefined };

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

/** Shaped like a plugin but without a numeric specificationVersion (a plugin for no contract). */
function isVersionlessPlugin(x: unknown): x is { name: string } {
  const p = x as Partial<Plugin> | null;
  return p !== null && typeof p === 'object' && typeof p.name === 'string' && Array.isArray(p.entries);
}

/**
 * Imports each listed plugin package (or file path, relative to `baseDir`) and installs it in
 * `registry`, in order. Nothing that is not listed is imported. A plugin module exports its
 * plugin as `plugin`, as the default export, or as any export whose name ends in `Plugin`.
 *
 * A plugin may not replace an entry that is already registered (a built-in such as
 * `'triplet-margin'`, or another plugin's) unless listed as `{ name, override: true }`; a plugin
 * built for a `specificationVersion` this `@emb/core` does not support is refused. Either way
 * nothing of that plugin is installed.
 *
 * @returns The names of the installed plugins, in order.
 * @throws {EmbError} `NOT_FOUND` when a listed plugin cannot be resolved (with the install
 *   command), `INVALID_ARGUMENT` when the module exports no plugin, `DUPLICATE_ENTRY` when it
 *   would replace an entry without `override`, `SPEC_VERSION` for an unsupported contract
 *   version (naming the versions that match).
 * @example
 * await loadPlugins(['@acme/emb-plugin-x', { name: './my-plugin.mjs', override: true }], process.cwd(), registry);
 */
export async function loadPlugins(specs: readonly PluginSpec[], baseDir: string, registry: Registry): Promise<string[]> {
  const installed: string[] = [];
  const require = createRequire(join(resolve(baseDir), 'noop.js'));
  for (const spec of specs) {
    const name = typeof spec === 'string' ? spec : spec.name;
    const override = typeof spec === 'string' ? false : spec.override === true;
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
      const versionless = candidates.find(isVersionlessPlugin);
      if (versionless) {
        throw new EmbError(
          'SPEC_VERSION',
          `Plugin ${quote(name)} (listed in plugins) declares no specificationVersion; this @emb/core supports ${supportedSpecificationVersions.join(', ')}. Its author sets \`specificationVersion\` (import it from @emb/core) in definePlugin.`,
          { plugin: name, supported: supportedSpecificationVersions },
        );
      }
      throw new EmbError(
        'INVALID_ARGUMENT',
        `Plugin ${quote(name)} exports no emb plugin: export one as \`plugin\` (or default) built with definePlugin({ name, specificationVersion, entries }).`,
        { plugin: name, exports: Object.keys(mod) },
      );
    }
    try {
      registry.use(plugin, { override });
    } catch (cause) {
      if (isEmbError(cause, 'DUPLICATE_ENTRY')) {
        const d = cause.details as { kind?: string; name?: string; existingPlugin?: string };
        const owner = d.existingPlugin ? ` of ${d.existingPlugin}` : '';
        throw new EmbError(
          'DUPLICATE_ENTRY',
          `Plugin ${quote(name)} (listed in plugins) would replace the ${d.kind} ${quote(d.name)}${owner}, and nothing of it was installed. Rename its entry, or, to replace ${quote(d.name)} on purpose, list the plugin as { "name": ${JSON.stringify(name)}, "override": true }.`,
          { plugin: name, ...d },
          { cause },
        );
      }
      if (isEmbError(cause)) {
        // SPEC_VERSION, or a malformed entry (no option schema, bad name, no create): say which listed plugin.
        throw new EmbError(cause.code, `${cause.message} (listed in plugins as ${quote(name)})`, { ...cause.details }, { cause });
      }
      throw cause;
    }
    installed.push(plugin.name);
  }
  return installed;
}
