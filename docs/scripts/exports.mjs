// What each workspace package exports, read two ways: from its sources (for the generated API
// pages: JSDoc, signatures) and from its BUILT entry points (for the check that every export has
// a heading: runtime `Object.keys(await import(dist))` plus the exported types the TypeScript
// compiler sees in the built `.d.ts`).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const docsRoot = fileURLToPath(new URL('../', import.meta.url));

/** Packages documented by one API page each: every packages/* with a src/index.ts. */
export function listPackages() {
  const dir = join(repoRoot, 'packages');
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'src/index.ts')) && existsSync(join(dir, name, 'package.json')))
    .sort()
    .map((name) => {
      const base = join(dir, name);
      const pkg = JSON.parse(readFileSync(join(base, 'package.json'), 'utf8'));
      // Entry points: '.' and subpaths such as './node' (a './register' entry exports nothing).
      const entries = Object.keys(pkg.exports ?? { '.': null })
        .filter((s) => s !== './package.json')
        .map((subpath) => {
          const file = subpath === '.' ? 'index' : subpath.slice(2);
          return {
            subpath,
            specifier: subpath === '.' ? pkg.name : `${pkg.name}/${file}`,
            src: join(base, 'src', `${file}.ts`),
            distJs: join(base, 'dist', `${file}.js`),
            distDts: join(base, 'dist', `${file}.d.ts`),
          };
        })
        .filter((e) => existsSync(e.src));
      return { dir: name, base, name: pkg.name, description: pkg.description ?? '', entries };
    });
}

const compilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  skipLibCheck: true,
  noEmit: true,
  types: ['node'],
};

/** A TypeScript program over the given files, with a function listing each file's exports. */
export function exportsProgram(files) {
  const program = ts.createProgram(files, compilerOptions);
  const checker = program.getTypeChecker();
  return {
    program,
    checker,
    exportsOf(file) {
      const sf = program.getSourceFile(file);
      if (!sf) throw new Error(`cannot read ${file}`);
      const moduleSymbol = checker.getSymbolAtLocation(sf);
      if (!moduleSymbol) return [];
      return checker.getExportsOfModule(moduleSymbol).map((symbol) => {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        return { name: symbol.getName(), symbol: target };
      });
    },
  };
}

/** Built exports of every entry point: [{ pkg, subpath, specifier, names: [{ name, kind: 'value' | 'type' }] }]. */
export async function builtExports(packages = listPackages()) {
  const dts = packages.flatMap((p) => p.entries.map((e) => e.distDts)).filter((f) => existsSync(f));
  const { checker, exportsOf } = exportsProgram(dts);
  const out = [];
  for (const pkg of packages) {
    for (const entry of pkg.entries) {
      if (!existsSync(entry.distJs) || !existsSync(entry.distDts)) {
        throw new Error(`${entry.specifier} is not built (${entry.distJs}); run \`pnpm build\` first.`);
      }
      const names = new Map();
      // Entry points that are only there for their side effects (`/register`) export nothing.
      for (const { name, symbol } of exportsOf(entry.distDts)) {
        const isValue = (symbol.flags & ts.SymbolFlags.Value) !== 0;
        names.set(name, isValue ? 'value' : 'type');
      }
      void checker;
      const runtime = await import(pathToFileURL(entry.distJs).href);
      for (const name of Object.keys(runtime)) names.set(name, 'value');
      out.push({
        pkg,
        subpath: entry.subpath,
        specifier: entry.specifier,
        names: [...names].map(([name, kind]) => ({ name, kind })).sort((a, b) => a.name.localeCompare(b.name)),
      });
    }
  }
  return out;
}

/** VitePress's heading anchor for a heading text (its default slugify, for identifier headings). */
export function slug(text) {
  return text
    .normalize('NFKD')
    .replace(/\p{Cc}/gu, '')
    .replace(/[\s~`!@#$%^&*()\-_+=[\]{}|\\;:"'“”‘’<>,.?/]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/^(\d)/, '_$1')
    .toLowerCase();
}

/** kebab-case of an identifier: tripletMarginLoss -> triplet-margin-loss, NTXentLoss -> ntxent-loss. */
export function kebab(name) {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}
