// pnpm bench pgvector: @emb/plugin-pgvector on 100,000 x 128 clustered vectors (fixed seed;
// the same data as `pnpm bench ann`), k = 10, for two executors:
//   - PGlite: embedded WASM Postgres + pgvector in this process, persisted to a temp directory;
//   - server: the PostgreSQL wire protocol through `pg`, to PGlite served by
//     @electric-sql/pglite-socket in a separate process on a loopback port (or to a real
//     PostgreSQL with pgvector given by --pg-url postgres://...).
// Each prints bulk-load time (one transaction: COPY on PGlite, multi-row inserts over pg), HNSW
// build time, one-query-at-a-time latency p50/p99 with recall@10 against exact search
// (@emb/index), batched queries/s, and the latency of an exact (sequential) scan. The CPU time
// of this process is printed too (on PGlite it is the database's work; over pg the client's).
// Options: --n 100000  --queries 1000  --ef-search 40,100  --m 16  --ef-construction 64
//          --exact-queries 20  --only pglite|server  --pg-url URL
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRng, initBackend } from '@emb/core';
import { exactIndex } from '@emb/index';
import { printTable } from './lib.mjs';

// The plugin is not a dependency of the workspace root: import its build and its dev
// dependencies by path (the socket server runs with the plugin's directory as cwd).
const pluginDir = fileURLToPath(new URL('../plugins/pgvector/', import.meta.url));
const { pgvectorIndex, pgExecutor } = await import(pathToFileURL(join(pluginDir, 'dist/index.js')).href);

const argv = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return fallback;
  return argv[i].includes('=') ? argv[i].split('=').slice(1).join('=') : argv[i + 1];
};
const N = Number(arg('n', 100_000));
const NQ = Number(arg('queries', 1000));
const EF_SEARCH = String(arg('ef-search', '40,100')).split(',').map(Number);
const M = Number(arg('m', 16));
const EF_CONSTRUCTION = Number(arg('ef-construction', 64));
const EXACT_QUERIES = Number(arg('exact-queries', 20));
const ONLY = arg('only', '');
const PG_URL = arg('pg-url', '');
const D = 128;
const K = 10;
const CLUSTERS = 1000;

/** As in bench/ann.mjs: points around 1,000 Gaussian centres with N(0, 0.5^2) noise. */
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

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
const sec = (ms) => (ms / 1000).toFixed(1);
const msf = (ms) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));

function recallOf(results, truth) {
  let hit = 0;
  results.forEach((r, q) => {
    const t = new Set(truth[q]);
    for (const id of r.ids) if (t.has(id)) hit++;
  });
  return hit / (results.length * K);
}

/** One query at a time (what a service sees): per-query latency and the results. */
async function oneByOne(index, count, options) {
  const times = [];
  const results = [];
  for (let q = 0; q < count; q++) {
    const t0 = performance.now();
    const [r] = await index.search(queries.subarray(q * D, (q + 1) * D), K, options);
    times.push(performance.now() - t0);
    results.push(r);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99), results };
}

/** Starts PGlite behind the wire protocol in another process; resolves { url, stop }. */
function startSocketServer(dataDir) {
  const code = `
    import { PGlite } from '@electric-sql/pglite';
    import { vector } from '@electric-sql/pglite-pgvector';
    import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
    const db = await PGlite.create({ dataDir: process.env.BENCH_PGLITE_DIR, extensions: { vector } });
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0 });
    await server.start();
    console.log('listening ' + server.getServerConn());
    process.stdin.on('end', async () => { await server.stop(); await db.close(); process.exit(0); });
    process.stdin.resume();`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    cwd: pluginDir,
    env: { ...process.env, BENCH_PGLITE_DIR: dataDir },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
      const m = /listening ([\d.]+):(\d+)/.exec(out);
      if (m) {
        resolve({
          url: `postgres://postgres@${m[1]}:${m[2]}/postgres`,
          stop: () =>
            new Promise((r) => {
              child.once('exit', r);
              child.stdin.end();
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`socket server exited with ${code}: ${out}`)));
  });
}

async function measure(label, index) {
  const t0 = performance.now();
  await index.ready();
  const openMs = performance.now() - t0;
  const cpuMs = () => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1000;
  };
  const t1 = performance.now();
  const c1 = cpuMs();
  await index.add(base, { labels });
  const loadMs = performance.now() - t1;
  const loadCpuMs = cpuMs() - c1;
  const exactScan = await oneByOne(index, EXACT_QUERIES, { exact: true });
  const c2 = cpuMs();
  const built = await index.buildIndex();
  const buildCpuMs = cpuMs() - c2;
  const out = [];
  for (const ef of EF_SEARCH) {
    const tuned = pgvectorIndex({ ...optionsOf(index), efSearch: ef });
    await oneByOne(tuned, Math.min(20, NQ)); // warm-up: caches, plans
    const one = await oneByOne(tuned, NQ);
    const b0 = performance.now();
    const batched = await tuned.search(queries, K);
    const batchMs = performance.now() - b0;
    out.push({
      ef,
      p50: one.p50,
      p99: one.p99,
      recall: recallOf(one.results, truth),
      qps: NQ / (batchMs / 1000),
      batchRecall: recallOf(batched, truth),
    });
  }
  return { label, openMs, loadMs, loadCpuMs, buildMs: built.ms, buildCpuMs, exactScan, runs: out };
}

// The tuned copies share the executor and table of the measured index.
const optionsOf = (index) => ({ dim: D, executor: index.executor, table: index.table, m: M, efConstruction: EF_CONSTRUCTION });

const info = await initBackend({ backend: 'wasm' });
console.log(`node ${process.version}; exact reference on ${info.backend} (simd ${info.simd}, threads ${info.threads})`);
console.log(
  `data: ${N.toLocaleString('en')} x ${D} vectors around ${CLUSTERS} centres (seed 1/2), ${NQ.toLocaleString('en')} queries (seed 3), k = ${K}; HNSW m = ${M}, ef_construction = ${EF_CONSTRUCTION}`,
);
const base = clustered(N, 1, 2);
const queries = clustered(NQ, 1, 3);
const labels = Int32Array.from({ length: N }, (_, i) => i % 100);
const exact = exactIndex({ dim: D });
await exact.add(base);
const truth = (await exact.search(queries, K)).map((r) => r.ids);
exact.dispose();

const results = [];
const temp = mkdtempSync(join(tmpdir(), 'emb-bench-pgvector-'));
try {
  if (ONLY !== 'server') {
    const index = pgvectorIndex({
      dim: D,
      dataDir: join(temp, 'embedded'),
      m: M,
      efConstruction: EF_CONSTRUCTION,
      maintenanceWorkMem: '1GB',
    });
    console.log('PGlite (in process) ...');
    results.push(await measure('PGlite 0.5.14 + pgvector 0.8.7 (embedded, COPY)', index));
    await index.close();
  }
  if (ONLY !== 'pglite') {
    const server = PG_URL ? { url: PG_URL, stop: async () => {} } : await startSocketServer(join(temp, 'served'));
    console.log(
      `server over the wire protocol (${PG_URL ? PG_URL.replace(/:[^:@/]*@/, ':***@') : 'PGlite socket server, separate process'}) ...`,
    );
    const executor = pgExecutor({ connectionString: server.url, config: { max: 1 } });
    const index = pgvectorIndex({
      dim: D,
      executor,
      table: 'bench_vectors',
      m: M,
      efConstruction: EF_CONSTRUCTION,
      maintenanceWorkMem: '1GB',
    });
    await index.ready();
    await executor.query('DROP TABLE IF EXISTS bench_vectors');
    await executor.query("DELETE FROM emb_migrations WHERE tbl = 'bench_vectors'");
    await executor.query("DELETE FROM emb_indexes WHERE tbl = 'bench_vectors'");
    const fresh = pgvectorIndex({
      dim: D,
      executor,
      table: 'bench_vectors',
      m: M,
      efConstruction: EF_CONSTRUCTION,
      maintenanceWorkMem: '1GB',
    });
    results.push(await measure(`pg 8.23 -> ${PG_URL ? 'PostgreSQL server' : 'PGlite socket server'} (multi-row inserts)`, fresh));
    await executor.close();
    await server.stop();
  }
} finally {
  rmSync(temp, { recursive: true, force: true });
}

console.log('');
printTable(
  ['executor', 'load s', 'HNSW build s', 'exact scan p50 ms', 'efSearch', 'p50 ms', 'p99 ms', 'recall@10', 'batched q/s'],
  results.flatMap((r) =>
    r.runs.map((x, i) => [
      i === 0 ? r.label : '',
      i === 0 ? sec(r.loadMs) : '',
      i === 0 ? sec(r.buildMs) : '',
      i === 0 ? msf(r.exactScan.p50) : '',
      String(x.ef),
      msf(x.p50),
      msf(x.p99),
      x.recall.toFixed(4),
      x.qps.toFixed(0),
    ]),
  ),
);
for (const r of results) {
  console.log(
    `${r.label}: open ${sec(r.openMs)} s, load ${(N / (r.loadMs / 1000)).toFixed(0)} vectors/s, exact scan p99 ${msf(r.exactScan.p99)} ms (recall ${recallOf(r.exactScan.results, truth).toFixed(4)}); CPU of this process: load ${sec(r.loadCpuMs)} s, HNSW build ${sec(r.buildCpuMs)} s`,
  );
}
console.log(`load average at the end: ${loadavg()[0].toFixed(2)} on ${availableParallelism()} cores`);
