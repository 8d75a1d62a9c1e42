// What the release checks share: the list of published packages (every non-private package
// under packages/* and plugins/*, found afresh on each run so a new package is checked without
// registering it anywhere) and how to read their manifests and export maps.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const packageDirs = ['packages', 'plugins'];

/** Every workspace package under packages/* and plugins/* (private ones included, flagged). */
export function listPackages(base = root) {
  const out = [];
  for (const parent of packageDirs) {
    const dir = join(base, parent);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const manifestPath = join(dir, name, 'package.json');
      if (!existsSync(manifestPath)) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      out.push({
        name: manifest.name,
        dir: join(dir, name),
        rel: relative(base, join(dir, name)).split('\\').join('/'),
        manifest,
        private: manifest.private === true,
      });
    }
  }
  return out;
}

/** The packages that get published (`private` ones are skipped everywhere). */
export const publishedPackages = (base = root) => listPackages(base).filter((p) => !p.private);

/**
 * The public subpaths of a package with their targets: `[{ subpath, types, js }]`, without
 * `./package.json`. A string export counts as a JS file without types.
 */
export function exportEntries(manifest) {
  const exp = manifest.exports;
  if (exp === undefined) return [];
  const map = typeof exp === 'string' || !Object.keys(exp).some((k) => k.startsWith('.')) ? { '.': exp } : exp;
  const out = [];
  for (const [subpath, target] of Object.entries(map)) {
    if (subpath === './package.json') continue;
    if (typeof target === 'string') {
      out.push({ subpath, types: undefined, js: target, keys: [] });
      continue;
    }
    const keys = Object.keys(target ?? {});
    const pick = (t) => (typeof t === 'string' ? t : t && typeof t === 'object' ? pick(t.import ?? t.default) : undefined);
    out.push({ subpath, types: pick(target.types), js: pick(target.import ?? target.default), keys });
  }
  return out;
}

/** The package a bare import specifier names (`@scope/a/b` -> `@scope/a`, `a/b` -> `a`). */
export const packageOf = (spec) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

export const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
