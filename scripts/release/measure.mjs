// Size budgets and export snapshots of the built packages.
//
// Size: what an app pays for a package, i.e. all of its public subpaths bundled together by
// esbuild, minified and gzipped, with TensorFlow.js, the other @emb packages, the package's peer
// dependencies and Node built-ins left external (the app has those anyway); its regular
// dependencies (valibot, ...) are counted. Each subpath is also measured alone.
//
// Exports: the runtime names of each public subpath (what `import * as m` shows under plain
// node) and the type-only names of its .d.ts (TypeScript's view). A removed or renamed name is a
// breaking change; the snapshot makes it show in review. The runtime names must equal the
// values the .d.ts declares (the .d.ts is exact).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import ts from 'typescript';
import { exportEntries, packageOf } from './workspace.mjs';

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function externalPlugin(manifest) {
  const peers = new Set(Object.keys(manifest.peerDependencies ?? {}));
  return {
    name: 'emb-externals',
    setup(build) {
      build.onResolve({ filter: /^[^./#]/ }, (args) => {
        const name = packageOf(args.path);
        if (builtins.has(args.path) || name.startsWith('@tensorflow/') || name.startsWith('@emb/') || peers.has(name))
          return { path: args.path, external: true };
        return undefined;
      });
    },
  };
}

async function bundledSize(dir, manifest, contents) {
  const result = await esbuild.build({
    stdin: { contents, resolveDir: dir, loader: 'js', sourcefile: 'entry.js' },
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    treeShaking: true,
    logLevel: 'silent',
    plugins: [externalPlugin(manifest)],
  });
  const code = result.outputFiles[0].contents;
  return { min: code.byteLength, gz: gzipSync(code, { level: 9 }).byteLength };
}

/** `{ total: {min, gz}, subpaths: { [subpath]: {min, gz} } }` for one built package. */
export async function measureSize(pkg) {
  const entries = exportEntries(pkg.manifest).filter((e) => e.js);
  const missing = entries.filter((e) => !existsSync(join(pkg.dir, e.js)));
  if (missing.length > 0) throw new Error(`${missing.map((e) => e.js).join(', ')} not built (pnpm --filter ${pkg.name} build)`);
  const spec = (e) => JSON.stringify(`./${e.js.replace(/^\.\//, '')}`);
  const subpaths = {};
  for (const e of entries) subpaths[e.subpath] = await bundledSize(pkg.dir, pkg.manifest, `export * from ${spec(e)};`);
  // Namespaces keep every export alive and avoid name clashes between subpaths.
  const all = entries.map((e, i) => `import * as m${i} from ${spec(e)};`).join('\n');
  const total = await bundledSize(pkg.dir, pkg.manifest, `${all}\nexport { ${entries.map((_, i) => `m${i}`).join(', ')} };`);
  return { total, subpaths };
}

/** Runtime export names of each subpath, by importing the built files under plain node. */
function runtimeExports(pkgs) {
  const files = pkgs.flatMap((p) =>
    exportEntries(p.manifest).flatMap((e) => (e.js ? [pathToFileURL(join(p.dir, e.js)).href] : [])),
  );
  const script = `const out = {};
for (const f of ${JSON.stringify(files)}) {
  try { out[f] = Object.keys(await import(f)).sort(); } catch (e) { out[f] = { error: String(e && e.message || e) }; }
}
process.stdout.write(JSON.stringify(out));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`importing the built packages failed:\n${r.stderr}`);
  // Stray output from a module (a backend banner) goes before the JSON.
  return JSON.parse(r.stdout.slice(r.stdout.lastIndexOf('{"file:')));
}

/** Value and type-only export names of each .d.ts, from one TypeScript program. */
function typeExports(pkgs) {
  const files = pkgs.flatMap((p) => exportEntries(p.manifest).flatMap((e) => (e.types ? [join(p.dir, e.types)] : [])));
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const out = {};
  for (const file of files) {
    const sf = program.getSourceFile(file);
    const mod = sf && checker.getSymbolAtLocation(sf);
    if (!mod) {
      out[file] = { values: [], types: [], error: sf ? 'not a module' : 'not found' };
      continue;
    }
    const values = [];
    const types = [];
    for (const sym of checker.getExportsOfModule(mod)) {
      const typeOnly = (sym.declarations ?? []).some((d) => ts.isTypeOnlyImportOrExportDeclaration?.(d) ?? false);
      const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
      if (!typeOnly && target.flags & ts.SymbolFlags.Value) values.push(sym.name);
      else types.push(sym.name);
    }
    out[file] = { values: values.sort(), types: types.sort() };
  }
  return out;
}

/**
 * `{ [packageName]: { snapshot, problems } }` where snapshot is
 * `{ [subpath]: { values: string[], types: string[] } }`.
 */
export function exportSnapshots(pkgs) {
  const runtime = runtimeExports(pkgs);
  const types = typeExports(pkgs);
  const out = {};
  for (const p of pkgs) {
    const snapshot = {};
    const problems = [];
    for (const e of exportEntries(p.manifest)) {
      const rt = e.js ? runtime[pathToFileURL(join(p.dir, e.js)).href] : [];
      const ty = e.types ? types[join(p.dir, e.types)] : { values: [], types: [] };
      if (rt && !Array.isArray(rt)) {
        problems.push(`exports["${e.subpath}"]: importing ${e.js} under plain node throws: ${rt.error}`);
        continue;
      }
      if (ty.error) problems.push(`exports["${e.subpath}"]: ${e.types}: ${ty.error}`);
      const missingTypes = rt.filter((n) => !ty.values.includes(n));
      const missingRuntime = ty.values.filter((n) => !rt.includes(n));
      if (missingTypes.length > 0)
        problems.push(`exports["${e.subpath}"]: ${e.types} does not declare runtime export(s) ${missingTypes.join(', ')}`);
      if (missingRuntime.length > 0)
        problems.push(
          `exports["${e.subpath}"]: ${e.types} declares value(s) ${missingRuntime.join(', ')} that ${e.js} does not export`,
        );
      snapshot[e.subpath] = { values: rt, types: ty.types };
    }
    out[p.name] = { snapshot, problems };
  }
  return out;
}
