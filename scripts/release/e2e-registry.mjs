#!/usr/bin/env node
// The release as someone installing from the registry sees it, against a throwaway local
// registry (verdaccio on 127.0.0.1, storage in a temp folder, no uplinks: it holds only @emb/*;
// everything else still comes from the registry pnpm is configured with, mostly from pnpm's
// store). Run after a build (`pnpm build`); `pnpm release:check --e2e` runs it.
//
//   1. copy the built packages into a temp workspace (git-initialised; the real repo's versions
//      and changesets are never touched) and `changeset version` there (consumes the pending
//      changesets, writes each CHANGELOG.md)
//   2. `changeset publish` to the local registry
//   3. a fresh project outside the workspace installs @emb/distance (+ @emb/core and the tfjs
//      peers, as its README says): no other @emb package is installed; a snippet runs under
//      plain node on the wasm backend
//   4. a fresh project installs @emb/train and trains a few steps under plain node
//   5. a changeset bumps @emb/distance (minor) in the temp workspace: `changeset version` bumps
//      every dependent, `changeset publish` publishes them, and each dependent's published
//      range on @emb/distance is ^<new version>
//
// It can never publish elsewhere: every copied package.json gets publishConfig.registry and
// the scoped registry set to the loopback URL, npm's user config is a temp file that names
// only that registry, and the script refuses to publish when any of them is not loopback.
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { publishedPackages, readJson, root } from './workspace.mjs';

const t0 = Date.now();
const times = {};
const phase = async (name, fn) => {
  const start = Date.now();
  console.log(`\n-- ${name}`);
  const out = await fn();
  times[name] = (Date.now() - start) / 1000;
  console.log(`   (${times[name].toFixed(1)} s)`);
  return out;
};
const fail = (msg) => {
  throw new Error(msg);
};
const isLoopback = (url) => {
  try {
    const host = new URL(url).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  } catch {
    return false;
  }
};

const work = mkdtempSync(join(tmpdir(), 'emb-release-e2e-'));
const keep = process.argv.includes('--keep');
const onlyBuilt = process.argv.includes('--only-built');
let registryProcess;

function sh(cmd, args, { cwd, env, quiet = false } = {}) {
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    process.stdout.write(r.stdout ?? '');
    process.stderr.write(r.stderr ?? '');
    fail(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status}`);
  }
  if (!quiet) process.stdout.write((r.stdout ?? '').replace(/^/gm, '   | '));
  return r.stdout ?? '';
}

const freePort = () =>
  new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });

async function startRegistry() {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const dir = join(work, 'registry');
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'config.yaml'),
    [
      `storage: ${join(dir, 'storage')}`,
      'auth:',
      '  htpasswd:',
      `    file: ${join(dir, 'htpasswd')}`,
      '    max_users: 10',
      // bcrypt took 0.5-2 s per request on a loaded 2-core machine; md5 + JWT tokens are instant.
      '    algorithm: md5',
      'security:',
      '  api:',
      '    jwt:',
      '      sign:',
      '        expiresIn: 1h',
      'uplinks: {}',
      'packages:',
      "  '@emb/*':",
      '    access: $all',
      '    publish: $authenticated',
      "  '**':",
      '    access: $all',
      '    publish: $authenticated',
      'web:',
      '  enable: false',
      'max_body_size: 200mb',
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );
  const bin = join(root, 'node_modules/verdaccio/bin/verdaccio');
  // A log file, not a pipe: spawnSync below blocks this process, and a full pipe would stall verdaccio.
  const logFile = join(dir, 'verdaccio.log');
  const logFd = openSync(logFile, 'w');
  registryProcess = spawn(process.execPath, [bin, '--config', join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  const log = () => readFileSync(logFile, 'utf8');
  for (let i = 0; i < 300; i++) {
    if (registryProcess.exitCode !== null) fail(`verdaccio exited ${registryProcess.exitCode}:\n${log()}`);
    try {
      const r = await get(`${url}-/ping`);
      if (r.ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
    if (i === 299) fail(`verdaccio did not answer on ${url} in 30 s:\n${log()}`);
  }
  const res = await fetch(`${url}-/user/org.couchdb.user:emb`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'emb', password: 'emb-e2e-only', type: 'user', roles: [], date: new Date().toISOString() }),
  });
  const body = await res.json();
  if (!body.token) fail(`verdaccio adduser failed: ${res.status} ${JSON.stringify(body)}`);
  console.log(`   verdaccio ${readJson(join(root, 'node_modules/verdaccio/package.json')).version} on ${url}`);
  return { url, token: body.token, port };
}

/** A copy of the workspace with only what publishing needs: manifests, READMEs, dist, changesets. */
function copyWorkspace(registry) {
  const dir = join(work, 'repo');
  mkdirSync(dir);
  const rootManifest = readJson(join(root, 'package.json'));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'emb-release-e2e', private: true, packageManager: rootManifest.packageManager }, null, 2),
  );
  writeFileSync(join(dir, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n  - plugins/*\n');
  cpSync(join(root, '.changeset'), join(dir, '.changeset'), { recursive: true });
  const pkgs = publishedPackages();
  for (const p of pkgs) {
    if (!existsSync(join(p.dir, 'dist'))) {
      // --only-built: for a local run while a new package is half-way; CI builds everything.
      if (onlyBuilt) {
        console.log(`   skipping ${p.name} (not built)`);
        continue;
      }
      fail(`${p.name} is not built (pnpm build first)`);
    }
    const to = join(dir, p.rel);
    mkdirSync(to, { recursive: true });
    for (const f of readdirSync(p.dir))
      if (f === 'dist' || /^(readme|license|changelog)/i.test(f)) cpSync(join(p.dir, f), join(to, f), { recursive: true });
    const m = structuredClone(p.manifest);
    // Guard: whatever the environment says, this copy publishes to loopback only.
    m.publishConfig = { ...m.publishConfig, registry: registry.url, '@emb:registry': registry.url };
    delete m.devDependencies;
    writeFileSync(join(to, 'package.json'), `${JSON.stringify(m, null, 2)}\n`);
  }
  linkWorkspace(dir);
  const git = (...a) => sh('git', a, { cwd: dir, quiet: true });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'e2e@example.invalid');
  git('config', 'user.name', 'e2e');
  writeFileSync(join(dir, '.gitignore'), 'node_modules\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'release e2e copy');
  return dir;
}

/** What `pnpm install` would link: node_modules/@emb/<dep> of each package -> the copy of <dep> (pnpm publish reads them). */
function linkWorkspace(dir) {
  const copies = publishedPackages(dir);
  const byName = new Map(copies.map((p) => [p.name, p.dir]));
  for (const p of copies) {
    for (const name of Object.keys({ ...p.manifest.dependencies, ...p.manifest.peerDependencies })) {
      const target = byName.get(name);
      if (!target) continue;
      const link = join(p.dir, 'node_modules', name);
      rmSync(link, { force: true, recursive: true });
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(target, link, 'dir');
    }
  }
}

function registryEnv(registry) {
  const npmrc = join(work, 'npmrc');
  const host = registry.url.replace(/^http:/, '');
  writeFileSync(npmrc, `registry=${registry.url}\n@emb:registry=${registry.url}\n${host}:_authToken=${registry.token}\n`);
  return {
    NPM_CONFIG_USERCONFIG: npmrc,
    npm_config_userconfig: npmrc,
    npm_config_registry: registry.url,
    'npm_config_@emb:registry': registry.url,
    NPM_CONFIG_PROVENANCE: 'false',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
}

function guardedPublish(dir, registry) {
  const env = registryEnv(registry);
  for (const p of publishedPackages(dir)) {
    const pc = p.manifest.publishConfig ?? {};
    if (!isLoopback(pc.registry) || !isLoopback(pc['@emb:registry']))
      fail(`refusing to publish: ${p.name} publishConfig is not loopback`);
  }
  for (const [k, v] of Object.entries(env)) if (/registry/.test(k) && !isLoopback(v)) fail(`refusing to publish: ${k}=${v}`);
  const seen = sh('npm', ['config', 'get', 'registry'], { cwd: dir, env, quiet: true }).trim();
  if (!isLoopback(seen)) fail(`refusing to publish: npm would use ${seen}`);
  const out = sh(process.execPath, [join(root, 'node_modules/@changesets/cli/bin.js'), 'publish'], {
    cwd: dir,
    env,
    quiet: true,
  });
  const published = out.split('\n').filter((l) => /New tag:/.test(l)).length;
  console.log(`   changeset publish: ${published} package(s) published and tagged`);
  return out;
}

const changeset = (dir, ...args) =>
  sh(process.execPath, [join(root, 'node_modules/@changesets/cli/bin.js'), ...args], { cwd: dir, quiet: true });
const versions = (dir) => Object.fromEntries(publishedPackages(dir).map((p) => [p.name, p.manifest.version]));

// The registry closes idle keep-alive sockets while spawnSync blocks this process; a request on
// such a socket fails with EPIPE, so retry once on a network error.
async function get(url) {
  try {
    return await fetch(url);
  } catch {
    await new Promise((r) => setTimeout(r, 200));
    return fetch(url);
  }
}

async function packument(registry, name) {
  const r = await get(`${registry.url}${name.replace('/', '%2f')}`);
  if (!r.ok) fail(`${name}: registry answered ${r.status}`);
  return r.json();
}

/** A fresh project outside the workspace that reads @emb/* from the local registry. */
function project(name, registry, deps, files) {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }, null, 2));
  // Only @emb comes from the local registry; tfjs and the rest from the usual one (and pnpm's store).
  writeFileSync(join(dir, '.npmrc'), `@emb:registry=${registry.url}\n`);
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  sh('pnpm', ['add', '--prefer-offline', '--reporter=append-only', ...deps], {
    cwd: dir,
    quiet: true,
    env: { npm_config_registry: undefined, 'npm_config_@emb:registry': registry.url, NPM_CONFIG_USERCONFIG: undefined },
  });
  return dir;
}

const installedEmb = (dir) =>
  readdirSync(join(dir, 'node_modules/.pnpm'))
    .flatMap((d) => {
      // .pnpm/@emb+core@0.2.0_<peers>; the unscoped initializer would be create-emb-plugin@0.1.0
      const m = /^(@emb\+[^@]+|create-emb-[^@]+)@([^_]+)/.exec(d);
      return m ? [`${m[1].replace('+', '/')}@${m[2]}`] : [];
    })
    .sort();

const distanceSnippet = `import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@emb/core';
import { lpDistance } from '@emb/distance';

const info = await initBackend({ quiet: true });
const m = lpDistance({ normalizeEmbeddings: false }).pairwise(tf.tensor2d([[0, 0], [3, 4]]));
const rows = await m.array();
if (tf.getBackend() !== 'wasm') throw new Error('backend ' + tf.getBackend());
if (Math.abs(rows[0][1] - 5) > 1e-5 || rows[0][0] !== 0) throw new Error('distance ' + JSON.stringify(rows));
console.log(JSON.stringify({ backend: tf.getBackend(), simd: info.simd, rows }));
`;

const trainSnippet = `import * as tf from '@tensorflow/tfjs-core';
import { createRng, initBackend } from '@emb/core';
import { tripletMarginLoss } from '@emb/losses';
import { fit } from '@emb/train';

await initBackend({ quiet: true });
const rng = createRng(1);
const n = 48;
const x = tf.tensor2d(Float32Array.from({ length: n * 6 }, (_, i) => rng.normal() + (i % 6 === Math.floor(i / 6) % 4 ? 3 : 0)), [n, 6]);
const labels = Int32Array.from({ length: n }, (_, i) => i % 4);
const w = tf.variable(tf.tensor2d(Float32Array.from({ length: 24 }, () => rng.normal() * 0.5), [6, 4]));
const model = { apply: (b) => tf.matMul(b, w), trainableVariables: [w] };
const r = await fit({
  model,
  data: { kind: 'labelled', x, labels },
  loss: tripletMarginLoss(),
  optimizer: { name: 'adam', options: { learningRate: 0.05 } },
  batchSize: 16,
  epochs: 4,
  seed: 3,
});
const losses = r.history.epochs.map((e) => e.loss);
if (tf.getBackend() !== 'wasm') throw new Error('backend ' + tf.getBackend());
if (!losses.every(Number.isFinite) || !(losses.at(-1) < losses[0])) throw new Error('loss did not go down: ' + losses);
console.log(JSON.stringify({ backend: tf.getBackend(), steps: r.history.stepLosses.length, losses }));
`;

try {
  const registry = await phase('start verdaccio on loopback', startRegistry);
  const repo = await phase('copy the built workspace; changeset version', () => {
    const dir = copyWorkspace(registry);
    const before = versions(dir);
    changeset(dir, 'version');
    const after = versions(dir);
    for (const [n, v] of Object.entries(after)) console.log(`   ${n} ${before[n]} -> ${v}`);
    return dir;
  });
  await phase('changeset publish to the local registry', async () => {
    guardedPublish(repo, registry);
    for (const [name, version] of Object.entries(versions(repo))) {
      const doc = await packument(registry, name);
      if (!doc.versions?.[version]) fail(`${name}@${version} is not in the local registry`);
      const deps = doc.versions[version].dependencies ?? {};
      for (const [d, range] of Object.entries({ ...deps, ...doc.versions[version].peerDependencies }))
        if (range.startsWith('workspace:')) fail(`${name}@${version} was published with ${d}@${range}`);
    }
    console.log(`   ${Object.keys(versions(repo)).length} packages published`);
  });
  await phase('install @emb/distance alone; run a snippet under plain node', () => {
    const dir = project(
      'app-distance',
      registry,
      ['@emb/distance', '@emb/core', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm'],
      {
        'snippet.mjs': distanceSnippet,
      },
    );
    const emb = installedEmb(dir);
    console.log(`   @emb packages installed: ${emb.join(', ')}`);
    if (emb.map((n) => n.replace(/@[^@]*$/, '')).join() !== '@emb/core,@emb/distance')
      fail(`installing @emb/distance brought ${emb.join(', ')}`);
    console.log(`   ${sh('node', ['snippet.mjs'], { cwd: dir, quiet: true }).trim()}`);
  });
  await phase('install @emb/train; train a few steps under plain node', () => {
    const dir = project(
      'app-train',
      registry,
      ['@emb/train', '@emb/core', '@emb/losses', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm'],
      { 'train.mjs': trainSnippet },
    );
    console.log(`   @emb packages installed: ${installedEmb(dir).join(', ')}`);
    console.log(`   ${sh('node', ['train.mjs'], { cwd: dir, quiet: true }).trim()}`);
  });
  await phase('bump @emb/distance with a changeset; dependents follow', async () => {
    const before = versions(repo);
    writeFileSync(
      join(repo, '.changeset/e2e-distance-minor.md'),
      "---\n'@emb/distance': minor\n---\n\nrelease e2e: a minor bump.\n",
    );
    changeset(repo, 'version');
    const after = versions(repo);
    const distance = after['@emb/distance'];
    if (distance === before['@emb/distance']) fail('@emb/distance was not bumped');
    const dependents = publishedPackages(repo).filter(
      (p) => '@emb/distance' in { ...p.manifest.dependencies, ...p.manifest.peerDependencies },
    );
    for (const p of dependents) {
      console.log(`   ${p.name} ${before[p.name]} -> ${after[p.name]}`);
      if (after[p.name] === before[p.name]) fail(`${p.name} depends on @emb/distance but was not bumped`);
    }
    if (!readFileSync(join(repo, 'packages/distance/CHANGELOG.md'), 'utf8').includes('release e2e: a minor bump.'))
      fail('packages/distance/CHANGELOG.md lacks the changeset summary');
    linkWorkspace(repo);
    sh('git', ['commit', '-qam', 'version packages'], { cwd: repo, quiet: true });
    guardedPublish(repo, registry);
    for (const p of dependents) {
      const doc = await packument(registry, p.name);
      const range =
        doc.versions?.[after[p.name]]?.dependencies?.['@emb/distance'] ??
        doc.versions?.[after[p.name]]?.peerDependencies?.['@emb/distance'];
      if (range !== `^${distance}`) fail(`${p.name}@${after[p.name]} publishes @emb/distance@${range}, expected ^${distance}`);
      if (doc['dist-tags']?.latest !== after[p.name])
        fail(`${p.name}: latest is ${doc['dist-tags']?.latest}, expected ${after[p.name]}`);
    }
    console.log(
      `   @emb/distance ${before['@emb/distance']} -> ${distance}; ${dependents.length} dependents republished with ^${distance}`,
    );
  });
  const total = (Date.now() - t0) / 1000;
  console.log(
    `\nrelease e2e: ok in ${total.toFixed(1)} s (${Object.entries(times)
      .map(([k, v]) => `${k}: ${v.toFixed(1)} s`)
      .join('; ')})`,
  );
} catch (e) {
  console.error(
    `\nrelease e2e: FAILED after ${((Date.now() - t0) / 1000).toFixed(1)} s: ${e.message}${e.cause ? ` (${e.cause.message ?? e.cause})` : ''}`,
  );
  const logFile = join(work, 'registry/verdaccio.log');
  if (existsSync(logFile))
    console.error(`verdaccio log (tail):\n${readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n')}`);
  process.exitCode = 1;
} finally {
  registryProcess?.kill();
  if (keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
