import { writeFileSync } from 'node:fs';
import {
  EmbError,
  type Index,
  type IndexEntry,
  type Neighbours,
  quote,
  type SearchOptions,
  specificationVersion,
  type VectorId,
  type VectorsLike,
} from '@emb/core';
import { type AddInput, checkSearchArgs, normalizeRows, readAddInput, toVectorRows } from '@emb/index';
import { writeFileAtomic } from '@emb/index/node';
import { decodeHnswFile, encodeHnswFile, type HnswFileExpectation, type HnswSnapshot } from './hnsw-file-format.js';
import { loadUsearch, type NativeIndex } from './load-usearch.js';
import { withTempFile } from './temp-file.js';

/** The metrics of an HNSW index: `'l2'` (Euclidean distance), `'cosine'` and `'dot'` (similarities). */
export type HnswMetric = 'l2' | 'cosine' | 'dot';

/** Options of {@link hnswIndex}. */
export interface HnswIndexOptions {
  /** Vector dimension (required). */
  readonly dim: number;
  /** `'l2'` (default), `'cosine'` (vectors are normalised on the way in) or `'dot'`. */
  readonly distance?: HnswMetric;
  /** Graph degree: neighbours kept per node on the upper layers (twice this on the bottom one). Default 16. */
  readonly M?: number;
  /** Candidate list size while inserting; larger builds slower and finds better neighbours. Default 128. */
  readonly efConstruction?: number;
  /** Candidate list size while searching (at least `k` is used); the speed/recall knob. Default 64. */
  readonly efSearch?: number;
  /** Native threads used by one `add` or `search` call over many vectors. Default 1. */
  readonly threads?: number;
  /**
   * How the graph stores vectors: `'f32'` (default), or `'f16'` / `'bf16'` (half the memory and
   * about 1.5-2x faster distance evaluations, with nearly the same recall). The returned
   * neighbours are re-ranked with the exact float32 vectors kept beside the graph, so distances
   * are exact either way.
   */
  readonly quantization?: HnswQuantization;
}

/** Storage of the vectors inside the graph. */
export type HnswQuantization = 'f32' | 'f16' | 'bf16';

/** A stored entry with a copy of its vector (normalised for cosine). */
export interface HnswStoredEntry extends IndexEntry {
  readonly vector: Float32Array;
}

/**
 * An approximate (HNSW) index: the `Index` contract plus its graph parameters, persistence
 * and inspection.
 */
export interface HnswIndex extends Index {
  readonly name: 'hnsw';
  readonly metric: HnswMetric;
  readonly M: number;
  readonly efConstruction: number;
  /** The current search breadth; change it with {@link HnswIndex.setEfSearch}. */
  readonly efSearch: number;
  readonly threads: number;
  readonly quantization: HnswQuantization;
  /** True when an entry with this id is stored. */
  has(id: VectorId): boolean;
  /** The entry stored under `id` with a copy of its vector, or `undefined`. */
  get(id: VectorId): HnswStoredEntry | undefined;
  /** Changes `efSearch` (the graph is kept; the native index is reopened with the new setting). */
  setEfSearch(efSearch: number): Promise<void>;
  /** Serialises the index (vectors, ids, labels, metadata and the graph); see {@link hnswIndexFromBytes}. */
  toBytes(): Promise<Uint8Array>;
  /** Writes {@link HnswIndex.toBytes} to `path` atomically (temporary file, fsync, rename); see `loadHnswIndex`. */
  save(path: string): Promise<void>;
  /** Drops the native index. The object is unusable afterwards. */
  dispose(): void;
}

const DEFAULTS = { distance: 'l2', M: 16, efConstruction: 128, efSearch: 64, threads: 1, quantization: 'f32' } as const;
const OPTION_NAMES = ['dim', 'distance', 'M', 'efConstruction', 'efSearch', 'threads', 'quantization'];
const INITIAL_CAPACITY = 64;
/** Below this many allowed entries a filtered search scans them exactly: cheaper than a graph walk that discards most of what it visits. */
const EXACT_SCAN_LIMIT = 4096;

function positiveInt(value: unknown, option: string, max = 1 << 20): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new EmbError('INVALID_OPTION', `hnswIndex: ${option} must be an integer from 1 to ${max}, got ${quote(value)}.`, {
      option,
      value,
    });
  }
  return value;
}

interface Settings {
  readonly metric: HnswMetric;
  readonly dim: number;
  readonly M: number;
  readonly efConstruction: number;
  readonly efSearch: number;
  readonly threads: number;
  readonly quantization: HnswQuantization;
}

function readSettings(options: HnswIndexOptions): Settings {
  if (options === null || typeof options !== 'object') {
    throw new EmbError(
      'INVALID_OPTION',
      `hnswIndex needs options { dim, distance?, M?, efConstruction?, efSearch?, threads?, quantization? }, got ${quote(options)}.`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.includes(key)) {
      throw new EmbError(
        'INVALID_OPTION',
        `hnswIndex: unknown option ${quote(key)}; the options are ${OPTION_NAMES.join(', ')}.`,
        {
          option: key,
        },
      );
    }
  }
  const metric = options.distance ?? DEFAULTS.distance;
  if (metric !== 'l2' && metric !== 'cosine' && metric !== 'dot') {
    throw new EmbError('INVALID_OPTION', `hnswIndex: distance must be 'l2', 'cosine' or 'dot', got ${quote(metric)}.`, {
      option: 'distance',
      value: metric,
    });
  }
  const quantization = options.quantization ?? DEFAULTS.quantization;
  if (quantization !== 'f32' && quantization !== 'f16' && quantization !== 'bf16') {
    throw new EmbError('INVALID_OPTION', `hnswIndex: quantization must be 'f32', 'f16' or 'bf16', got ${quote(quantization)}.`, {
      option: 'quantization',
      value: quantization,
    });
  }
  return {
    metric,
    quantization,
    dim: positiveInt(options.dim, 'dim'),
    M: positiveInt(options.M ?? DEFAULTS.M, 'M', 1024),
    efConstruction: positiveInt(options.efConstruction ?? DEFAULTS.efConstruction, 'efConstruction', 1 << 16),
    efSearch: positiveInt(options.efSearch ?? DEFAULTS.efSearch, 'efSearch', 1 << 16),
    threads: positiveInt(options.threads ?? DEFAULTS.threads, 'threads', 1024),
  };
}

function createNative(s: Settings, efSearch: number): NativeIndex {
  const { Index: NativeIndexClass } = loadUsearch();
  try {
    return new NativeIndexClass({
      dimensions: s.dim,
      // Cosine vectors are normalised here, so both similarities are inner products.
      metric: s.metric === 'l2' ? 'l2sq' : 'ip',
      quantization: s.quantization,
      connectivity: s.M,
      expansion_add: s.efConstruction,
      expansion_search: efSearch,
      multi: false,
    });
  } catch (cause) {
    throw new EmbError('BACKEND', `hnswIndex: usearch could not create the index: ${(cause as Error).message}`, {}, { cause });
  }
}

/**
 * An approximate k-nearest-neighbour index (HNSW, Malkov and Yashunin 2018) on usearch's
 * native library: for reference sets past a few hundred thousand vectors, where the exact
 * index of `@emb/index` gets slow. Same `Index` contract as `exactIndex`, so training,
 * evaluation (`accuracyCalculator({ index })`) and the CLI take either.
 *
 * - `add(vectors, { ids?, labels?, metadata? })` appends; ids default to increasing
 *   integers; a duplicate id throws `INVALID_ARGUMENT` (use `upsert` to replace).
 * - `upsert(vectors, { ids, ... })` replaces entries whose id exists and adds the others.
 * - `remove(ids)` deletes entries and returns how many it deleted; unknown ids are ignored.
 * - `search(queries, k, { filter })` returns, per query, ids, labels and distances nearest
 *   first: Euclidean distance for `'l2'`, similarity for `'cosine'` / `'dot'` (float32, as the
 *   native library computes them). `k` larger than `size()` throws `K_TOO_LARGE`. A
 *   filter runs once per entry per call; when few entries pass (at most 4,096) they are
 *   scanned exactly, otherwise the graph is searched for more candidates until `k` pass.
 * - Labels, metadata and a copy of each vector are kept beside the graph (`get(id)`).
 *
 * The native module is loaded when the first index is created; where usearch has no binary
 * for the platform this throws `EmbError('BACKEND')` saying which platform and how to fix it.
 *
 * Options (defaults): `dim` (required), `distance` (`'l2'`), `M` (16), `efConstruction` (128),
 * `efSearch` (64), `threads` (1), `quantization` (`'f32'`; `'f16'` / `'bf16'` are faster).
 *
 * @example
 * import { hnswIndex } from '@emb/plugin-ann';
 * const index = hnswIndex({ dim: 128, distance: 'cosine', M: 16, efSearch: 100 });
 * await index.add(productEmbeddings, { labels: productIds, metadata });
 * const [hit] = await index.search(query, 10, { filter: (e) => e.metadata?.inStock === true });
 * await index.save('products.hnsw');
 */
export function hnswIndex(options: HnswIndexOptions): HnswIndex {
  return createHnswIndex(readSettings(options));
}

/**
 * Rebuilds an HNSW index from {@link HnswIndex.toBytes} output. A damaged buffer throws
 * `CORRUPT_FILE`, a newer format `UNSUPPORTED_VERSION`, an `expect.dim` / `expect.metric` that
 * does not match `DIMENSION_MISMATCH` / `INVALID_ARGUMENT`. `expect.efSearch` and
 * `expect.threads` override the saved settings.
 *
 * @example
 * const copy = await hnswIndexFromBytes(await index.toBytes(), { dim: 128, efSearch: 200 });
 */
export async function hnswIndexFromBytes(bytes: Uint8Array, expect: HnswFileExpectation = {}): Promise<HnswIndex> {
  const snapshot = decodeHnswFile(bytes, expect);
  const s = snapshot.settings;
  const settings: Settings = {
    ...s,
    efSearch: expect.efSearch === undefined ? s.efSearch : positiveInt(expect.efSearch, 'efSearch', 1 << 16),
    threads: expect.threads === undefined ? s.threads : positiveInt(expect.threads, 'threads', 1024),
  };
  const native = createNative(settings, settings.efSearch);
  let alive = 0;
  for (let s = 0; s < snapshot.top; s++) alive += snapshot.alive[s] as number;
  await withTempFile(async (file) => {
    writeFileSync(file, snapshot.graph);
    try {
      native.load(file);
    } catch (cause) {
      throw new EmbError(
        'CORRUPT_FILE',
        `The graph in this HNSW index file does not load: ${(cause as Error).message}`,
        {},
        { cause },
      );
    }
  });
  if (native.size() !== alive) {
    throw new EmbError(
      'CORRUPT_FILE',
      `The graph in this HNSW index file holds ${native.size()} vectors but its entries say ${alive}.`,
    );
  }
  return createHnswIndex(settings, snapshot, native);
}

function createHnswIndex(settings: Settings, snapshot?: HnswSnapshot, loaded?: NativeIndex): HnswIndex {
  const { metric, dim, M, efConstruction, threads, quantization } = settings;
  let efSearch = settings.efSearch;
  let native: NativeIndex | undefined = loaded ?? createNative(settings, efSearch);
  // Slots: the native key of an entry is its slot; freed slots are reused.
  let capacity = INITIAL_CAPACITY;
  let top = 0;
  let count = 0;
  let vectors = new Float32Array(capacity * dim);
  let labels = new Int32Array(capacity);
  let hasLabel = new Uint8Array(capacity);
  let alive = new Uint8Array(capacity);
  const ids: (VectorId | undefined)[] = [];
  const metadata: (Readonly<Record<string, unknown>> | undefined)[] = [];
  const slotOf = new Map<VectorId, number>();
  const free: number[] = [];
  let nextAutoId = 0;

  function ensureCapacity(n: number): void {
    if (n <= capacity) return;
    let c = capacity;
    while (c < n) c *= 2;
    const v = new Float32Array(c * dim);
    v.set(vectors.subarray(0, top * dim));
    const l = new Int32Array(c);
    l.set(labels.subarray(0, top));
    const h = new Uint8Array(c);
    h.set(hasLabel.subarray(0, top));
    const a = new Uint8Array(c);
    a.set(alive.subarray(0, top));
    vectors = v;
    labels = l;
    hasLabel = h;
    alive = a;
    capacity = c;
  }

  function live(): NativeIndex {
    if (native === undefined) {
      throw new EmbError('INVALID_ARGUMENT', 'This HNSW index was disposed; create or load a new one.');
    }
    return native;
  }

  function readVectors(v: VectorsLike, name: string): { data: Float32Array; count: number } {
    const rows = toVectorRows(v, dim, name);
    if (metric === 'cosine') normalizeRows(rows.data, dim);
    return rows;
  }

  function nativeAdd(keys: number[], data: Float32Array): void {
    if (keys.length === 0) return;
    try {
      live().add(BigUint64Array.from(keys, BigInt), data, threads);
    } catch (cause) {
      if (cause instanceof EmbError) throw cause;
      throw new EmbError('BACKEND', `HNSW add failed in usearch: ${(cause as Error).message}`, {}, { cause });
    }
  }

  function nativeRemove(keys: number[]): void {
    if (keys.length === 0) return;
    live().remove(BigUint64Array.from(keys, BigInt));
  }

  /** Takes a slot for a new entry: a freed one first, so the stores do not grow under churn. */
  function takeSlot(): number {
    const reused = free.pop();
    if (reused !== undefined) return reused;
    ensureCapacity(top + 1);
    return top++;
  }

  function writeSlot(slot: number, p: AddInput, i: number, id: VectorId): void {
    vectors.set(p.data.subarray(i * dim, (i + 1) * dim), slot * dim);
    labels[slot] = p.labels ? (p.labels[i] as number) : 0;
    hasLabel[slot] = p.labels ? 1 : 0;
    alive[slot] = 1;
    ids[slot] = id;
    metadata[slot] = p.metadata?.[i];
    slotOf.set(id, slot);
  }

  function nextId(): number {
    while (slotOf.has(nextAutoId)) nextAutoId++;
    return nextAutoId++;
  }

  /** Inserts rows `which` of `p` under fresh slots (native first, so a native failure leaves the stores as they were). */
  function insert(p: AddInput, which: readonly number[], idOf: (i: number) => VectorId): VectorId[] {
    const slots = which.map(() => takeSlot());
    const packed = new Float32Array(which.length * dim);
    which.forEach((i, j) => {
      packed.set(p.data.subarray(i * dim, (i + 1) * dim), j * dim);
    });
    try {
      nativeAdd(slots, packed);
    } catch (error) {
      for (let j = slots.length - 1; j >= 0; j--) free.push(slots[j] as number);
      throw error;
    }
    const out: VectorId[] = [];
    which.forEach((i, j) => {
      const id = idOf(i);
      writeSlot(slots[j] as number, p, i, id);
      out.push(id);
    });
    count += which.length;
    return out;
  }

  function entryAt(slot: number): IndexEntry {
    return { id: ids[slot] as VectorId, label: hasLabel[slot] ? (labels[slot] as number) : null, metadata: metadata[slot] };
  }

  function dropSlot(slot: number): void {
    slotOf.delete(ids[slot] as VectorId);
    alive[slot] = 0;
    ids[slot] = undefined;
    metadata[slot] = undefined;
    free.push(slot);
    count--;
  }

  /** The metric of one query against one slot, in float64; larger is better for every metric here. */
  function score(q: Float32Array, qo: number, slot: number): number {
    const ro = slot * dim;
    let s = 0;
    if (metric === 'l2') {
      for (let c = 0; c < dim; c++) {
        const d = (q[qo + c] as number) - (vectors[ro + c] as number);
        s += d * d;
      }
      return -s;
    }
    for (let c = 0; c < dim; c++) s += (q[qo + c] as number) * (vectors[ro + c] as number);
    return s;
  }

  /** Ranks candidate slots for one query exactly and returns the best `k`. */
  function rank(q: Float32Array, qi: number, candidates: ArrayLike<number>, n: number, k: number): Neighbours {
    const qo = qi * dim;
    const scores = new Float64Array(n);
    const order = new Int32Array(n);
    for (let j = 0; j < n; j++) {
      order[j] = j;
      scores[j] = score(q, qo, candidates[j] as number);
    }
    order.sort((a, b) => (scores[b] as number) - (scores[a] as number) || (candidates[a] as number) - (candidates[b] as number));
    const kk = Math.min(k, n);
    const nIds: VectorId[] = [];
    const nLabels: (number | null)[] = [];
    const distances = new Float32Array(kk);
    for (let j = 0; j < kk; j++) {
      const o = order[j] as number;
      const slot = candidates[o] as number;
      nIds.push(ids[slot] as VectorId);
      nLabels.push(hasLabel[slot] ? (labels[slot] as number) : null);
      const sc = scores[o] as number;
      distances[j] = metric === 'l2' ? Math.sqrt(-sc) : sc;
    }
    return { ids: nIds, labels: nLabels, distances };
  }

  /** Exact top-k over the given slots, keeping a bounded candidate set instead of sorting all. */
  function scan(q: Float32Array, qi: number, slots: Int32Array, k: number): Neighbours {
    if (slots.length <= 4 * k) return rank(q, qi, slots, slots.length, k);
    const qo = qi * dim;
    // Keep the best k in a small sorted buffer (k is small next to the scanned set).
    const bestScore = new Float64Array(k).fill(Number.NEGATIVE_INFINITY);
    const bestSlot = new Int32Array(k).fill(-1);
    for (let j = 0; j < slots.length; j++) {
      const slot = slots[j] as number;
      const s = score(q, qo, slot);
      if (s <= (bestScore[k - 1] as number)) continue;
      let p = k - 1;
      while (p > 0 && (bestScore[p - 1] as number) < s) {
        bestScore[p] = bestScore[p - 1] as number;
        bestSlot[p] = bestSlot[p - 1] as number;
        p--;
      }
      bestScore[p] = s;
      bestSlot[p] = slot;
    }
    let n = k;
    while (n > 0 && (bestSlot[n - 1] as number) < 0) n--;
    return rank(q, qi, bestSlot, n, k);
  }

  interface Candidates {
    readonly slots: Int32Array;
    /** Native distances converted to this index's metric, nearest first. */
    readonly values: Float32Array;
  }

  /** Native search of every query for `wanted` candidates; per query the live ones, nearest first. */
  function graphSearch(q: Float32Array, nq: number, wanted: number, mask: Uint8Array | undefined): Candidates[] {
    const res = live().search(q, wanted, threads);
    const out: Candidates[] = [];
    const batch = 'counts' in res;
    for (let i = 0; i < nq; i++) {
      const n = batch ? Number(res.counts[i]) : res.keys.length;
      const base = batch ? i * res.k : 0;
      const slots = new Int32Array(n);
      const values = new Float32Array(n);
      let m = 0;
      for (let j = 0; j < n; j++) {
        const slot = Number(res.keys[base + j]);
        if (slot >= top || !alive[slot] || (mask !== undefined && !mask[slot])) continue;
        const d = res.distances[base + j] as number;
        // usearch reports squared L2, and 1 - q.x for inner products.
        values[m] = metric === 'l2' ? Math.sqrt(Math.max(d, 0)) : 1 - d;
        slots[m++] = slot;
      }
      out.push(m === n ? { slots, values } : { slots: slots.subarray(0, m), values: values.subarray(0, m) });
    }
    return out;
  }

  /** The first `k` graph candidates as search results. */
  function fromGraph(c: Candidates, k: number): Neighbours {
    const nIds: VectorId[] = [];
    const nLabels: (number | null)[] = [];
    for (let j = 0; j < k; j++) {
      const slot = c.slots[j] as number;
      nIds.push(ids[slot] as VectorId);
      nLabels.push(hasLabel[slot] ? (labels[slot] as number) : null);
    }
    return { ids: nIds, labels: nLabels, distances: c.values.slice(0, k) };
  }

  function liveSlots(keep?: Uint8Array): Int32Array {
    const out = new Int32Array(count);
    let m = 0;
    for (let s = 0; s < top; s++) if (alive[s] && (keep === undefined || keep[s])) out[m++] = s;
    return out.subarray(0, m);
  }

  function searchSync(queries: VectorsLike, k: number, opts: SearchOptions | undefined): Neighbours[] {
    const filter = checkSearchArgs(k, count, opts);
    const q = readVectors(queries, 'queries');
    const nq = q.count;
    if (nq === 0) return [];
    let keep: Uint8Array | undefined;
    let allowed = count;
    if (filter) {
      keep = new Uint8Array(top);
      allowed = 0;
      for (let s = 0; s < top; s++) {
        if (alive[s] && filter(entryAt(s))) {
          keep[s] = 1;
          allowed++;
        }
      }
      if (allowed === count) keep = undefined;
    }
    const out: (Neighbours | undefined)[] = new Array(nq);
    if (allowed === 0) return Array.from({ length: nq }, () => ({ ids: [], labels: [], distances: new Float32Array(0) }));
    const kk = Math.min(k, allowed);
    let exactSet: Int32Array | undefined;
    const exact = () => {
      exactSet ??= liveSlots(keep);
      return exactSet;
    };
    if (keep !== undefined && allowed <= EXACT_SCAN_LIMIT) {
      for (let i = 0; i < nq; i++) out[i] = scan(q.data, i, exact(), kk);
      return out as Neighbours[];
    }
    // Ask the graph for enough candidates that about kk of them pass the filter; retry the
    // queries that came up short with four times as many, and scan exactly past a quarter of the index.
    let pending = Array.from({ length: nq }, (_, i) => i);
    let wanted = keep === undefined ? kk : Math.min(count, Math.ceil((kk * count) / allowed) * 2);
    while (pending.length > 0) {
      if (wanted > count / 4 && keep !== undefined) {
        for (const i of pending) out[i] = scan(q.data, i, exact(), kk);
        break;
      }
      const sub = new Float32Array(pending.length * dim);
      pending.forEach((i, j) => {
        sub.set(q.data.subarray(i * dim, (i + 1) * dim), j * dim);
      });
      const found = graphSearch(sub, pending.length, Math.min(wanted, count), keep);
      const retry: number[] = [];
      pending.forEach((i, j) => {
        const c = found[j] as Candidates;
        // Half-precision graphs rank approximately: re-rank their candidates with the exact vectors.
        if (c.slots.length >= kk)
          out[i] = quantization === 'f32' ? fromGraph(c, kk) : rank(q.data, i, c.slots, c.slots.length, kk);
        else if (keep === undefined && wanted >= count) out[i] = scan(q.data, i, exact(), kk);
        else retry.push(i);
      });
      pending = retry;
      // Without a filter a short answer means a sparse graph (after many removals): scan exactly.
      if (keep === undefined && pending.length > 0) {
        for (const i of pending) out[i] = scan(q.data, i, exact(), kk);
        break;
      }
      wanted *= 4;
    }
    return out as Neighbours[];
  }

  /** Reopens the native index from its own serialisation with another `efSearch`. */
  async function reopen(ef: number): Promise<void> {
    const old = live();
    await withTempFile(async (file) => {
      old.save(file);
      const next = createNative(settings, ef);
      next.load(file);
      native = next;
    });
    efSearch = ef;
  }

  async function toBytes(): Promise<Uint8Array> {
    const graph = await withTempFile(async (file, read) => {
      live().save(file);
      return read();
    });
    return encodeHnswFile({
      settings: { metric, dim, M, efConstruction, efSearch, threads, quantization },
      top,
      vectors: vectors.subarray(0, top * dim),
      alive: alive.subarray(0, top),
      ids,
      labels: labels.subarray(0, top),
      hasLabel: hasLabel.subarray(0, top),
      metadata,
      nextAutoId,
      graph,
    });
  }

  const index: HnswIndex = {
    specificationVersion,
    name: 'hnsw',
    dim,
    metric,
    isInverted: metric !== 'l2',
    M,
    efConstruction,
    get efSearch() {
      return efSearch;
    },
    threads,
    quantization,
    async size() {
      return count;
    },
    async add(v, opts) {
      const p = readAddInput(v, opts, { dim, normalize: metric === 'cosine', method: 'add' });
      const given = opts?.ids;
      if (given) {
        for (const id of given) {
          if (slotOf.has(id)) {
            throw new EmbError(
              'INVALID_ARGUMENT',
              `add: id ${quote(id)} is already in the index; use upsert() to replace it or remove() it first.`,
              { id },
            );
          }
        }
      }
      live();
      const all = Array.from({ length: p.n }, (_, i) => i);
      const autoIds = given ? undefined : all.map(() => nextId());
      return insert(p, all, (i) => (given ? (given[i] as VectorId) : (autoIds?.[i] as VectorId)));
    },
    async upsert(v, opts) {
      if (opts === null || typeof opts !== 'object' || opts.ids === undefined) {
        throw new EmbError('INVALID_ARGUMENT', 'upsert needs { ids } (one per vector): it replaces entries by id.');
      }
      const p = readAddInput(v, opts, { dim, normalize: metric === 'cosine', method: 'upsert' });
      const given = opts.ids;
      const replaced: number[] = [];
      for (const id of given) {
        const slot = slotOf.get(id);
        if (slot !== undefined) replaced.push(slot);
      }
      // Replacing is remove + insert: HNSW cannot move a node, and the freed slots are reused at once.
      nativeRemove(replaced);
      for (const slot of replaced) dropSlot(slot);
      insert(
        p,
        Array.from({ length: p.n }, (_, i) => i),
        (i) => given[i] as VectorId,
      );
      return [...given];
    },
    async remove(toRemove) {
      if (!Array.isArray(toRemove)) {
        throw new EmbError('INVALID_ARGUMENT', `remove expects an array of ids, got ${quote(toRemove)}.`);
      }
      const slots: number[] = [];
      const seen = new Set<number>();
      for (const id of toRemove) {
        const slot = slotOf.get(id);
        if (slot !== undefined && !seen.has(slot)) {
          seen.add(slot);
          slots.push(slot);
        }
      }
      nativeRemove(slots);
      for (const slot of slots) dropSlot(slot);
      return slots.length;
    },
    async search(queries, k, opts) {
      live();
      return searchSync(queries, k, opts);
    },
    has(id) {
      return slotOf.has(id);
    },
    get(id) {
      const slot = slotOf.get(id);
      if (slot === undefined) return undefined;
      return { ...entryAt(slot), vector: vectors.slice(slot * dim, (slot + 1) * dim) };
    },
    async setEfSearch(ef) {
      const value = positiveInt(ef, 'efSearch', 1 << 16);
      if (value !== efSearch) await reopen(value);
    },
    toBytes,
    async save(path) {
      await writeFileAtomic(path, await toBytes(), { caller: 'save' });
    },
    dispose() {
      native = undefined;
    },
  };

  if (snapshot) restore(snapshot);

  function restore(snap: HnswSnapshot): void {
    ensureCapacity(snap.top);
    top = snap.top;
    vectors.set(snap.vectors);
    labels.set(snap.labels);
    hasLabel.set(snap.hasLabel);
    alive.set(snap.alive);
    for (let s = 0; s < top; s++) {
      if (alive[s]) {
        const id = snap.ids[s] as VectorId;
        ids[s] = id;
        metadata[s] = snap.metadata[s];
        slotOf.set(id, s);
        count++;
      } else {
        free.push(s);
      }
    }
    free.reverse();
    nextAutoId = snap.nextAutoId;
  }

  return Object.freeze(index);
}
