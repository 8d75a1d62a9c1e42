import { EmbPluginScaffoldError } from './scaffold-error.js';

/** The names a scaffolded plugin derives from its npm package name. */
export interface PluginNames {
  /** The npm package name, as given (`'@acme/emb-plugin-faces'`, `'emb-plugin-faces'`). */
  readonly packageName: string;
  /** Prefix of its registry entry names: the scope, else the short name (`'acme'`, `'faces'`). */
  readonly prefix: string;
  /** Kebab-case short name, used in file names (`'faces'`). */
  readonly short: string;
  /** camelCase short name; the plugin is exported as `${ident}Plugin` (`'faces'`). */
  readonly ident: string;
  /** The folder the package is written to by default: the unscoped name (`'emb-plugin-faces'`). */
  readonly dirName: string;
}

// npm's rules for new package names: lower case, URL-safe, at most 214 characters.
const NPM_NAME = /^(?:@([a-z0-9][a-z0-9._-]*)\/)?([a-z0-9][a-z0-9._-]*)$/;

/**
 * Derives the scaffold's names from an npm package name: `emb-plugin-`, `plugin-` and
 * `-emb-plugin` are dropped from the short name.
 *
 * @throws {EmbPluginScaffoldError} when `packageName` is not a valid npm package name.
 * @example
 * pluginNames('@acme/emb-plugin-face-id'); // { prefix: 'acme', short: 'face-id', ident: 'faceId', ... }
 */
export function pluginNames(packageName: string): PluginNames {
  const match = NPM_NAME.exec(packageName);
  if (!match || packageName.length > 214) {
    throw new EmbPluginScaffoldError(
      `${JSON.stringify(packageName)} is not a valid npm package name: use lower case letters, digits, '-', '.' and '_', optionally scoped, e.g. emb-plugin-faces or @acme/emb-plugin-faces.`,
    );
  }
  const scope = match[1];
  const bare = match[2] as string;
  const short = bare.replace(/^emb-plugin-|^plugin-|-emb-plugin$/, '').replace(/[._]/g, '-') || 'plugin';
  const ident = short.replace(/-+([a-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/^[0-9]/, (d) => `p${d}`);
  return { packageName, prefix: scope ?? short, short, ident, dirName: bare };
}
