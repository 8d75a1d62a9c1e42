// pnpm bench ann: approximate search. 100,000 x 128 clustered vectors (fixed seed), 1,000
// queries, k = 10: build time, queries/s and recall@10 against exact search for the exact
// index (@emb/index, wasm), the HNSW plugin (@emb/plugin-ann, usearch) at several efSearch
// values, and, where Debian's python3-hnswlib / python3-faiss are installed, hnswlib and faiss
// HNSW with the same M, efConstruction and efSearch. Everything single-threaded.
// Environment: BENCH_N (default 100000), BENCH_QUERIES (1000), BENCH_M (16),
// BENCH_EF_CONSTRUCTION (200), BENCH_EF_SEARCH (comma list, default 16,32,64,128,256),
// BENCH_QUANTIZATION (the plugin's vector storage, comma list, default f32,f16,bf16).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, initBackend } from '@emb/core';
import { exactIndex } from '@emb/index';
import { printTable } from './lib.mjs';

// The plugin is not a dependency of the workspace root; import its build by path.
const { hnswIndex } = await import(new URL('../plugins/ann/dist/index.js', import.meta.url).href);

const env = process.env;
const N = Number(env.BENCH_N ?? 100_000);
const NQ = Number(env.BENCH_QUERIES ?? 1000);
const D = 128;
const K = 10;
const M = Number(env.BENCH_M ?? 16);
const EF_CONSTRUCTION = Number(env.BENCH_EF_CONSTRUCTION ?? 200);
const EF_SEARCH = (env.BENCH_EF_SEARCH ?? '16,32,64,128,256').split(',').map(Number);
const QUANTIZATION = (env.BENCH_QUANTIZATION ?? 'f32,f16,bf16').split(',');
const CLUSTERS = 1000;
const TARGET_RECALL = 0.95;

/** Runs `fn` and returns its wall and process CPU seconds (CPU time is what a loaded machine leaves comparable). */
async function timed(fn) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const c = process.cpuUsage(c0);
  return { value, wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

/**
 * `n` points around `CLUSTERS` Gaussian centres (N(0, 1) per coordinate) with N(0, 0.5^2)
 * noise: the shape of trained embeddings, where neighbours are mostly in the same cluster.
 * The centres depend only on `centreSeed`, so base and queries share them.
 */
function clustered(n, centreSeed, pointSeed) {
  const c = createRng(centreSeed);
  const centres = new Float32Array(CLUSTERS * D);
  for (let i = 0; i < centres.length; i++) centres[i] = c.normal();
  const rng = createRng(pointSeed);
  const out = new Float32Array(n * D);
  for (let i = 0; i < n; i++) {
    const k = Math.floor(rng.next() * CLUSTERS);
    for (let j = 0; j < D; j++) out[i * D + j] = centres[k * D + j] + rng.normal() * 0.5;
  }
  return out;
}

function recallOf(ids, truth) {
  let hit = 0;
  for (let q = 0; q < NQ; q++) {
    const t = new Set(truth[q]);
    for (let j = 0; j < K; j++) if (t.has(ids(q, j))) hit++;
  }
  return hit / (NQ * K);
}

function findPython(module) {
  for (const py of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(py, ['-c', `import ${module}, numpy`], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return null;
}

function debVersion(pkg) {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax
  const r = spawnSync('dpkg-query', ['-W', '-f=${Version}', pkg], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

const info = await initBackend({ backend: 'wasm' });
console.log(`backend ${info.backend} (simd ${info.simd}, threads ${info.threads}), node ${process.version}`);
console.log(
  `data: ${N.toLocaleString('en')} x ${D} vectors around ${CLUSTERS} centres, ${NQ.toLocaleString('en')} queries, k = ${K}, M = ${M}, efConstruction = ${EF_CONSTRUCTION}`,
);
const base = clustered(N, 1, 2);
const queries = clustered(NQ, 1, 3);
const rows = [];

// The python peers (hnswlib, then faiss) run in their own process on the same bytes. On a
// shared 2-core machine they run beside the JS part (BENCH_PEERS_AFTER=1 runs them after it);
// queries/CPU-s (process CPU time) is the comparison that contention does not distort much.
const dir = mkdtempSync(join(tmpdir(), 'emb-bench-ann-'));
{
  const bytes = (a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  writeFileSync(join(dir, 'base.f32'), bytes(base));
  writeFileSync(join(dir, 'queries.f32'), bytes(queries));
}
function runPeer(py, script, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(py, [script, ...args.map(String)], {
      env: { ...env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${script} failed: ${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop()));
    });
  });
}
async function runPeers() {
  const out = [];
  for (const [name, module, deb] of [
    ['hnswlib', 'hnswlib', 'python3-hnswlib'],
    ['faiss', 'faiss', 'python3-faiss'],
  ]) {
    const py = findPython(module);
    if (!py) {
      out.push({ name, deb, missing: true });
      continue;
    }
    const script = fileURLToPath(new URL(`./ann_${name}.py`, import.meta.url));
    const args = [
      join(dir, 'base.f32'),
      join(dir, 'queries.f32'),
      D,
      K,
      M,
      EF_CONSTRUCTION,
      EF_SEARCH.join(','),
      join(dir, `${name}-`),
    ];
    out.push({ name, deb, out: await runPeer(py, script, args) });
  }
  return out;
}
const peersAfter = env.BENCH_PEERS_AFTER === '1';
let peerRuns = peersAfter ? undefined : runPeers();
peerRuns?.catch(() => undefined); // awaited (and reported) below

// 1. Exact search: the ground truth, and the baseline to beat.
const exact = exactIndex({ dim: D, distance: 'l2' });
const exactBuild = await timed(async () => {
  await exact.add(base);
  await exact.search(queries.subarray(0, 16 * D), K); // packs the reference blocks
});
const exactSearch = await timed(() => exact.search(queries, K));
const truth = exactSearch.value.map((n) => n.ids);
exact.dispose();
const row = (name, ef, build, wall, cpu, recall) => [
  name,
  String(ef),
  build.wall.toFixed(1),
  build.cpu.toFixed(1),
  (NQ / wall).toFixed(0),
  (NQ / cpu).toFixed(0),
  recall.toFixed(4),
];
rows.push(row('@emb/index exactIndex (wasm)', '-', exactBuild, exactSearch.wall, exactSearch.cpu, 1));

// 2. The HNSW plugin, for each vector storage.
const ours = [];
for (const quantization of QUANTIZATION) {
  await new Promise((resolve) => setImmediate(resolve));
  const hnsw = hnswIndex({
    dim: D,
    distance: 'l2',
    M,
    efConstruction: EF_CONSTRUCTION,
    efSearch: EF_SEARCH[0],
    threads: 1,
    quantization,
  });
  const hnswBuild = await timed(() => hnsw.add(base));
  for (const ef of EF_SEARCH) {
    // Native calls block the event loop: let it run so a finished peer's successor starts.
    await new Promise((resolve) => setImmediate(resolve));
    await hnsw.setEfSearch(ef);
    await hnsw.search(queries.subarray(0, 32 * D), K); // warm-up
    let best = Number.POSITIVE_INFINITY;
    let bestCpu = Number.POSITIVE_INFINITY;
    let found;
    // Best of 7 (as the python peers): the minimum is what survives a busy machine.
    for (let r = 0; r < 7; r++) {
      const t = await timed(() => hnsw.search(queries, K));
      found = t.value;
      best = Math.min(best, t.wall);
      bestCpu = Math.min(bestCpu, t.cpu);
    }
    const recall = recallOf((q, j) => found[q].ids[j], truth);
    ours.push({ efSearch: `${ef}, ${quantization}`, qps: NQ / best, cpuQps: NQ / bestCpu, recall });
    rows.push(row(`@emb/plugin-ann hnswIndex (usearch, ${quantization})`, ef, hnswBuild, best, bestCpu, recall));
  }
  hnsw.dispose();
}

peerRuns ??= runPeers();

// 3. Python peers: their results, scored against the exact neighbours.
const peers = {};
try {
  for (const p of await peerRuns) {
    if (p.missing) {
      rows.push([`${p.name}: ${p.deb} not installed`, '-', '-', '-', '-', '-', '-']);
      continue;
    }
    const { name, out } = p;
    const label = `${name} ${debVersion(p.deb) ?? out.version ?? ''} (python)`;
    peers[name] = [];
    for (const run of out.runs) {
      const raw = readFileSync(join(dir, `${name}-${run.efSearch}.i32`));
      const ids = new Int32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
      const recall = recallOf((q, j) => ids[q * K + j], truth);
      peers[name].push({ efSearch: run.efSearch, qps: run.qps, cpuQps: run.cpuQps, recall });
      const build = { wall: out.build, cpu: out.buildCpu };
      rows.push(row(label, run.efSearch, build, run.seconds, NQ / run.cpuQps, recall));
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log('');
printTable(['index (1 thread)', 'efSearch', 'build s', 'build CPU s', 'queries/s', 'queries/CPU-s', 'recall@10'], rows);

// Target: at recall@10 >= 0.95, at least hnswlib's queries/s (the fastest setting of each that
// reaches it), by wall time and by process CPU time (the fair measure when the machine is loaded).
const bestAt = (runs, key) => runs.filter((r) => r.recall >= TARGET_RECALL).sort((a, b) => b[key] - a[key])[0];
console.log('');
const all = { '@emb/plugin-ann': ours, ...peers };
for (const key of ['qps', 'cpuQps']) {
  const unit = key === 'qps' ? 'queries/s' : 'queries/CPU-s';
  for (const [name, runs] of Object.entries(all)) {
    const b = bestAt(runs, key);
    if (b) console.log(`${name}: ${b[key].toFixed(0)} ${unit} at recall ${b.recall.toFixed(4)} (efSearch ${b.efSearch})`);
    else console.log(`${name}: no efSearch reached recall ${TARGET_RECALL}`);
  }
  const mine = bestAt(ours, key);
  const ref = peers.hnswlib && bestAt(peers.hnswlib, key);
  if (mine && ref) {
    console.log(
      `target (${unit}): at recall@10 >= ${TARGET_RECALL}, at least hnswlib's -> ${mine[key] >= ref[key] ? 'met' : 'NOT met'} (${(mine[key] / ref[key]).toFixed(2)}x)`,
    );
  }
}
console.log(`load average during the run: ${loadavg()[0].toFixed(2)} on ${availableParallelism()} cores`);
