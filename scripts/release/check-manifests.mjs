// Package-quality rules for every published package (packages/* and plugins/*, found afresh
// on each run). Each rule is what someone installing from the registry relies on; the message
// says how to fix it. Runs on built packages (dist/ must exist). Usage:
//   node scripts/release/check-manifests.mjs            (exit 1 with a list of problems)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { exportEntries, packageOf, publishedPackages, readJson, root } from './workspace.mjs';

const semver = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
// Packages that are applications (they have a `bin`) may depend on an engine directly: they
// are the app. Libraries take tfjs as a peer so an app has exactly one engine.
const engine = /^@tensorflow\//;

/** The files `npm pack` ships, from `files` (plain paths only) plus what npm always adds. */
export function packedFiles(dir, manifest) {
  const out = new Set(['package.json']);
  for (const name of readdirSync(dir)) if (/^(readme|license|licence)(\..*)?$/i.test(name)) out.add(name);
  const walk = (rel) => {
    const abs = join(dir, rel);
    if (!existsSync(abs)) return;
    if (statSync(abs).isDirectory()) for (const n of readdirSync(abs)) walk(`${rel}/${n}`);
    else out.add(rel);
  };
  for (const entry of manifest.files ?? []) walk(entry.replace(/^\.\//, '').replace(/\/$/, ''));
  return [...out].sort();
}

/** Bare specifiers imported (statically or dynamically) by the package's shipped JS. */
async function importedPackages(dir, jsFiles) {
  if (jsFiles.length === 0) return new Map();
  const result = await esbuild.build({
    entryPoints: jsFiles.map((f) => join(dir, f)),
    bundle: true,
    write: false,
    metafile: true,
    outdir: join(dir, '.release-check-out'),
    format: 'esm',
    platform: 'neutral',
    packages: 'external',
    logLevel: 'silent',
  });
  const seen = new Map();
  for (const [input, info] of Object.entries(result.metafile.inputs))
    for (const imp of info.imports)
      if (imp.external && !imp.path.startsWith('.') && !imp.path.startsWith('#')) seen.set(imp.path, input);
  return seen;
}

/** Problems with one package, as strings ("<field>: what is wrong; how to fix it"). */
export async function checkPackage(pkg, { rootManifest = readJson(join(root, 'package.json')) } = {}) {
  const { manifest: m, dir, rel } = pkg;
  const problems = [];
  const bad = (msg) => problems.push(msg);

  // `create-emb-*` is the unscoped name `npm init emb-<x>` looks up.
  if (!/^(@emb\/[a-z0-9-]+|create-emb-[a-z0-9-]+)$/.test(m.name ?? ''))
    bad(`name: ${JSON.stringify(m.name)} must be @emb/<kebab-name> (or create-emb-<name> for an npm initializer)`);
  if (rel.startsWith('plugins/') && !/^@emb\/plugin-/.test(m.name ?? ''))
    bad(`name: a plugin is named @emb/plugin-<name>, got ${m.name}`);
  if (!semver.test(m.version ?? '')) bad(`version: ${JSON.stringify(m.version)} is not semver`);
  if (m.type !== 'module') bad('type: must be "module" (the packages are ESM-only)');
  if (!m.license) bad('license: missing');
  if (!m.description) bad('description: missing (npm search shows it)');
  if (m.publishConfig?.access !== 'public')
    bad('publishConfig.access: must be "public" (scoped packages are private by default)');

  // engines
  if (!m.engines?.node) bad(`engines.node: missing; use ${JSON.stringify(rootManifest.engines?.node ?? '>=20')}`);
  else if (rootManifest.engines?.node && m.engines.node !== rootManifest.engines.node)
    bad(
      `engines.node: ${JSON.stringify(m.engines.node)} differs from the workspace's ${JSON.stringify(rootManifest.engines.node)}`,
    );

  // repository.directory lets the registry page link the package's folder.
  if (!m.repository?.url) bad('repository.url: missing');
  if (m.repository?.directory !== rel) bad(`repository.directory: ${JSON.stringify(m.repository?.directory)} should be "${rel}"`);

  // exports: types first, ESM only, every target built, every .js with its own .d.ts.
  const entries = exportEntries(m);
  if (entries.length === 0) bad('exports: missing; declare "." with { "types", "default" }');
  if (m.exports && typeof m.exports === 'object' && !('./package.json' in m.exports))
    bad('exports: add "./package.json": "./package.json" (tools read it)');
  for (const e of entries) {
    const where = `exports["${e.subpath}"]`;
    if (e.keys[0] !== 'types')
      bad(`${where}: "types" must be the first condition (TypeScript takes the first match), got ${JSON.stringify(e.keys)}`);
    if (e.keys.includes('require')) bad(`${where}: has "require", but the packages are ESM-only`);
    if (!e.js?.startsWith('./dist/') || !e.js.endsWith('.js'))
      bad(`${where}: JS target ${JSON.stringify(e.js)} should be ./dist/<name>.js`);
    if (!e.types?.endsWith('.d.ts')) bad(`${where}: types target ${JSON.stringify(e.types)} should be a .d.ts`);
    else if (e.js && e.types !== e.js.replace(/\.js$/, '.d.ts'))
      bad(`${where}: types ${e.types} should sit beside ${e.js} with the same name (exact .d.ts per entry)`);
    for (const f of [e.js, e.types])
      if (f && !existsSync(join(dir, f))) bad(`${where}: ${f} does not exist (build first: pnpm --filter ${m.name} build)`);
  }
  const main = entries.find((e) => e.subpath === '.');
  if (main && m.types !== undefined && m.types !== main.types)
    bad(`types: ${m.types} differs from exports["."].types ${main.types}`);
  if (main && m.main !== undefined && m.main !== main.js) bad(`main: ${m.main} differs from exports["."] ${main.js}`);

  // sideEffects: false, or only the register entry (plus a bin, plus `#register-*` imports).
  const allowed = new Set();
  for (const e of entries) if (/^\.\/register(\/|$)/.test(e.subpath) && e.js) allowed.add(e.js);
  for (const target of Object.values(typeof m.bin === 'string' ? { x: m.bin } : (m.bin ?? {})))
    allowed.add(`./${target.replace(/^\.\//, '')}`);
  for (const [key, target] of Object.entries(m.imports ?? {})) {
    if (!key.startsWith('#register')) continue;
    const walk = (t) => (typeof t === 'string' ? allowed.add(t) : Object.values(t ?? {}).forEach(walk));
    walk(target);
  }
  if (m.sideEffects === undefined)
    bad('sideEffects: missing; use false, or ["./dist/register.js"] when the package has a register entry');
  else if (m.sideEffects !== false) {
    if (!Array.isArray(m.sideEffects)) bad('sideEffects: must be false or a list of files');
    else
      for (const f of m.sideEffects)
        if (!allowed.has(f))
          bad(`sideEffects: ${f} is not a register entry (exports "./register", a bin, or an imports "#register-*" target)`);
  }

  // files: only what is needed ships.
  if (!Array.isArray(m.files) || m.files.length === 0) bad('files: missing; list ["dist", "README.md"]');
  else {
    for (const f of m.files) if (/[*?{}[\]!]/.test(f)) bad(`files: ${f}: use plain paths, not globs (the check lists them)`);
    const packed = packedFiles(dir, m);
    // A scaffolder ships its template (sources, tests, tsconfig) on purpose.
    const stray = packed.filter(
      (f) =>
        !/^templates?\//.test(f) &&
        (/(^|\/)(src|test|tests|test-node|fixtures|bench)\//.test(f) || /\.test\.|\.spec\.|tsconfig|\.tsbuildinfo$/.test(f)),
    );
    if (stray.length > 0)
      bad(`files: would ship ${stray.slice(0, 5).join(', ')}${stray.length > 5 ? ', ...' : ''}; ship dist/ and README.md only`);
    for (const e of entries)
      for (const f of [e.js, e.types])
        if (f && !packed.includes(f.replace(/^\.\//, ''))) bad(`files: ${f} (exports["${e.subpath}"]) is not shipped`);
  }

  // README: present, says what the package is and how to install it.
  const readme = ['README.md', 'readme.md'].map((f) => join(dir, f)).find((f) => existsSync(f));
  if (!readme) bad('README.md: missing (what, when to use, install, use, API link)');
  else {
    const text = readFileSync(readme, 'utf8');
    if (text.length < 300) bad(`README.md: ${text.length} characters; say what it is, when to use it, install, use`);
    if (!text.includes(m.name)) bad(`README.md: never names ${m.name} (show the install command)`);
  }

  // Dependencies: tfjs is a peer (one engine per app); workspace deps follow releases.
  const deps = m.dependencies ?? {};
  const peers = m.peerDependencies ?? {};
  const isApp = m.bin !== undefined;
  if (!('@tensorflow/tfjs-core' in peers) && !isApp)
    bad('peerDependencies: add "@tensorflow/tfjs-core": "^4.22.0" (one engine per app)');
  for (const name of Object.keys(deps))
    if (engine.test(name) && !isApp)
      bad(`dependencies: ${name} must be a peerDependency (one engine per app), with a devDependency for tests`);
  for (const [name, range] of Object.entries(deps))
    if (name.startsWith('@emb/') && range !== 'workspace:^')
      bad(`dependencies: ${name}@${range}: use "workspace:^" so a release writes a caret range and changesets bumps it`);
  // A peer may be wider than a caret (`workspace:>=0.2.0 <1`): with .changeset/config.json's
  // onlyUpdatePeerDependentsWhenOutOfRange, a minor of the peer inside it does not force a major.
  for (const [name, range] of Object.entries(peers))
    if (name.startsWith('@emb/') && !String(range).startsWith('workspace:'))
      bad(`peerDependencies: ${name}@${range}: use "workspace:^" (or "workspace:<range>") so a release writes the real range`);
  const shipped = entries.flatMap((e) => (e.js && existsSync(join(dir, e.js)) ? [e.js] : []));
  for (const target of allowed) if (existsSync(join(dir, target)) && !shipped.includes(target)) shipped.push(target);
  const imported = await importedPackages(dir, shipped);
  for (const [spec, from] of imported) {
    if (builtins.has(spec)) continue;
    const name = packageOf(spec);
    if (name === m.name) continue;
    if (!(name in deps) && !(name in peers))
      bad(`dependencies: ${from} imports ${spec}, but ${name} is neither a dependency nor a peerDependency`);
    else if (engine.test(name) && !(name in peers) && !isApp)
      bad(`peerDependencies: ${from} imports ${spec}; ${name} must be a peer`);
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let failed = 0;
  for (const pkg of publishedPackages()) {
    const problems = await checkPackage(pkg);
    if (problems.length === 0) console.log(`ok   ${pkg.name}`);
    else {
      failed += 1;
      console.log(`FAIL ${pkg.name} (${pkg.rel})`);
      for (const p of problems) console.log(`     - ${p}`);
    }
  }
  process.exit(failed > 0 ? 1 : 0);
}
