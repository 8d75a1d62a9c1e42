import {
  type Distance,
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
import * as tf from '@tensorflow/tfjs-core';
import { checkSearchArgs } from './check-search-args.js';
import { decodeIndexFile, encodeIndexFile, type IndexFileExpectation, type IndexSnapshot } from './index-file-format.js';
import { type IndexMetric, resolveMetric } from './index-metric.js';
import { type AddInput, readAddInput } from './read-add-input.js';
import { BLOCK_ROWS, createReferenceBlock, createReferenceBlocks, type ReferenceBlock, searchBlocks } from './tiled-knn.js';
import { normalizeRows, toVectorRows } from './to-vector-rows.js';

/** Options of {@link exactIndex}. */
export interface ExactIndexOptions {
  /** Vector dimension (required). */
  readonly dim: number;
  /**
   * What "near" means: `'l2'` (default), `'cosine'`, `'dot'`, or an `@emb/distance` object
   * (`lpDistance({ normalizeEmbeddings: false })`, `cosineSimilarity()`, ...); see {@link resolveMetric}.
   */
  readonly distance?: IndexMetric | Distance;
}

/** A stored entry with a copy of its vector. */
export interface StoredEntry extends IndexEntry {
  readonly vector: Float32Array;
}

/**
 * An exact (brute-force) index: the `Index` contract plus persistence and inspection.
 */
export interface ExactIndex extends Index {
  readonly name: 'exact';
  readonly metric: IndexMetric;
  /** True when an entry with this id is stored. */
  has(id: VectorId): boolean;
  /** The entry stored under `id` (with a copy of its vector as stored: normalised for cosine), or `undefined`. */
  get(id: VectorId): StoredEntry | undefined;
  /** Serialises the index (format: docs/index-file-format.md); load with {@link exactIndexFromBytes}. */
  toBytes(): Uint8Array;
  /** Frees the tensors cached for search. The index stays usable (they are rebuilt on the next search). */
  dispose(): void;
}

const INITIAL_CAPACITY = 64;

function assertDim(dim: unknown): asserts dim is number {
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1 || dim > 1 << 20) {
    throw new EmbError('INVALID_OPTION', `exactIndex: dim must be a positive integer, got ${quote(dim)}.`, {
      option: 'dim',
      value: dim,
    });
  }
}

/**
 * An exact k-nearest-neighbour index over embeddings: enrol new classes by adding their
 * vectors, no retraining. Search runs on the active tfjs backend (WASM by default) as
 * matMuls over tiles of queries x blocks of the stored vectors, with a bounded top-k per
 * query, so memory stays O(tile) (100,000 vectors x 10,000 queries never forms a
 * 10,000 x 100,000 matrix).
 *
 * - `add(vectors, { ids?, labels?, metadata? })` appends; ids default to increasing integers.
 *   A duplicate id throws `INVALID_ARGUMENT` (use `upsert` to replace).
 * - `upsert(vectors, { ids, ... })` replaces entries whose id exists and adds the others.
 * - `remove(ids)` deletes entries and returns how many it deleted; unknown ids are ignored
 *   (the count tells). The last entry moves into the freed slot.
 * - `search(queries, k, { filter })` returns, per query, ids, labels and distances nearest
 *   first: Euclidean distance for `'l2'`, similarity for `'cosine'` / `'dot'`. Equal
 *   distances rank the earlier-stored entry first. `k` larger than `size()` throws
 *   `K_TOO_LARGE`; with a `filter`, fewer than `k` results come back when fewer entries pass.
 *   For `'l2'` the returned distances are recomputed directly (float64), not by the
 *   `|q|^2 + |r|^2 - 2 q.r` identity the ranking uses, so tiny distances are accurate.
 * - Vectors with NaN or Infinity throw `NON_FINITE`; a wrong dimension `DIMENSION_MISMATCH`.
 *
 * Cached tensors (one transposed block per 4,096 vectors) live until `dispose()`.
 *
 * @example
 * const index = exactIndex({ dim: 128, distance: 'cosine' });
 * await index.add(faceEmbeddings, { labels: personIds });
 * const [hit] = await index.search(probe, 5);
 * hit.labels[0]; // the closest enrolled person
 */
export function exactIndex(options: ExactIndexOptions): ExactIndex {
  if (options === null || typeof options !== 'object') {
    throw new EmbError('INVALID_OPTION', `exactIndex needs options { dim, distance? }, got ${quote(options)}.`);
  }
  assertDim(options.dim);
  for (const key of Object.keys(options)) {
    if (key !== 'dim' && key !== 'distance') {
      throw new EmbError('INVALID_OPTION', `exactIndex: unknown option ${quote(key)}; the options are dim and distance.`, {
        option: key,
      });
    }
  }
  return createExactIndex(resolveMetric(options.distance ?? 'l2'), options.dim);
}

/**
 * Rebuilds an exact index from {@link ExactIndex.toBytes} output (browser-safe; in Node,
 * `loadIndex` from `@emb/index/node` reads a file). A truncated or damaged buffer throws
 * `CORRUPT_FILE`, a newer format `UNSUPPORTED_VERSION`, and `expect.dim` / `expect.metric`
 * that do not match `DIMENSION_MISMATCH` / `INVALID_ARGUMENT`.
 *
 * @example
 * const copy = exactIndexFromBytes(index.toBytes(), { dim: 128 });
 */
export function exactIndexFromBytes(bytes: Uint8Array, expect: IndexFileExpectation = {}): ExactIndex {
  return createExactIndex(undefined, undefined, decodeIndexFile(bytes, expect));
}

function createExactIndex(metricIn: IndexMetric | undefined, dimIn: number | undefined, snapshot?: IndexSnapshot): ExactIndex {
  const metric = (snapshot?.metric ?? metricIn) as IndexMetric;
  const dim = (snapshot?.dim ?? dimIn) as number;
  let capacity = Math.max(INITIAL_CAPACITY, snapshot?.count ?? 0);
  let count = snapshot?.count ?? 0;
  let vectors = new Float32Array(capacity * dim);
  let labels = new Int32Array(capacity);
  let hasLabel = new Uint8Array(capacity);
  const ids: VectorId[] = [];
  const metadata: (Readonly<Record<string, unknown>> | undefined)[] = [];
  const rowOf = new Map<VectorId, number>();
  let nextAutoId = snapshot?.nextAutoId ?? 0;
  if (snapshot) {
    vectors.set(snapshot.vectors);
    labels.set(snapshot.labels);
    hasLabel.set(snapshot.hasLabel);
    for (let i = 0; i < count; i++) {
      const id = snapshot.ids[i] as VectorId;
      ids.push(id);
      metadata.push(snapshot.metadata[i]);
      rowOf.set(id, i);
    }
  }

  // Search cache: one packed tensor per block of BLOCK_ROWS rows, rebuilt when dirty.
  let blocks: (ReferenceBlock | undefined)[] = [];
  const dirty = new Set<number>();
  const markDirty = (row: number) => dirty.add(Math.floor(row / BLOCK_ROWS));

  function ensureCapacity(n: number): void {
    if (n <= capacity) return;
    let c = capacity;
    while (c < n) c *= 2;
    const v = new Float32Array(c * dim);
    v.set(vectors.subarray(0, count * dim));
    const l = new Int32Array(c);
    l.set(labels.subarray(0, count));
    const h = new Uint8Array(c);
    h.set(hasLabel.subarray(0, count));
    vectors = v;
    labels = l;
    hasLabel = h;
    capacity = c;
  }

  function ensureBlocks(): ReferenceBlock[] {
    const nb = Math.ceil(count / BLOCK_ROWS);
    for (let b = nb; b < blocks.length; b++) blocks[b]?.tensor.dispose();
    blocks.length = nb;
    for (let b = 0; b < nb; b++) {
      const start = b * BLOCK_ROWS;
      const rows = Math.min(BLOCK_ROWS, count - start);
      const cur = blocks[b];
      if (cur === undefined || dirty.has(b) || cur.count !== rows) {
        cur?.tensor.dispose();
        blocks[b] = createReferenceBlock(vectors, dim, start, rows, metric);
      }
    }
    dirty.clear();
    return blocks as ReferenceBlock[];
  }

  function readVectors(v: VectorsLike, name: string): { data: Float32Array; count: number } {
    const rows = toVectorRows(v, dim, name);
    if (metric === 'cosine') normalizeRows(rows.data, dim);
    return rows;
  }

  function writeRow(row: number, p: AddInput, i: number, id: VectorId): void {
    vectors.set(p.data.subarray(i * dim, (i + 1) * dim), row * dim);
    labels[row] = p.labels ? (p.labels[i] as number) : 0;
    hasLabel[row] = p.labels ? 1 : 0;
    ids[row] = id;
    metadata[row] = p.metadata?.[i];
    rowOf.set(id, row);
    markDirty(row);
  }

  function nextId(): number {
    while (rowOf.has(nextAutoId)) nextAutoId++;
    return nextAutoId++;
  }

  function append(p: AddInput, given: readonly VectorId[] | undefined): VectorId[] {
    ensureCapacity(count + p.n);
    const out: VectorId[] = [];
    for (let i = 0; i < p.n; i++) {
      const id = given ? (given[i] as VectorId) : nextId();
      writeRow(count, p, i, id);
      count++;
      out.push(id);
    }
    return out;
  }

  function entryAt(row: number): IndexEntry {
    return { id: ids[row] as VectorId, label: hasLabel[row] ? (labels[row] as number) : null, metadata: metadata[row] };
  }

  function removeOne(id: VectorId): boolean {
    const row = rowOf.get(id);
    if (row === undefined) return false;
    const last = count - 1;
    rowOf.delete(id);
    if (row !== last) {
      vectors.copyWithin(row * dim, last * dim, (last + 1) * dim);
      labels[row] = labels[last] as number;
      hasLabel[row] = hasLabel[last] as number;
      const movedId = ids[last] as VectorId;
      ids[row] = movedId;
      metadata[row] = metadata[last];
      rowOf.set(movedId, row);
      markDirty(row);
    }
    ids.length = last;
    metadata.length = last;
    count = last;
    markDirty(last);
    return true;
  }

  function searchSync(queries: VectorsLike, k: number, opts: SearchOptions | undefined): Neighbours[] {
    const filter = checkSearchArgs(k, count, opts);
    const q = readVectors(queries, 'queries');
    if (q.count === 0) return [];
    let rowMap: Int32Array | undefined;
    let refData = vectors;
    let refCount = count;
    let temp: ReferenceBlock[] | undefined;
    if (filter) {
      const allowed: number[] = [];
      for (let row = 0; row < count; row++) if (filter(entryAt(row))) allowed.push(row);
      if (allowed.length < count) {
        rowMap = Int32Array.from(allowed);
        refCount = allowed.length;
        refData = new Float32Array(refCount * dim);
        for (let i = 0; i < refCount; i++) refData.set(vectors.subarray(allowed[i]! * dim, (allowed[i]! + 1) * dim), i * dim);
      }
    }
    if (refCount === 0) return Array.from({ length: q.count }, () => ({ ids: [], labels: [], distances: new Float32Array(0) }));
    const kk = Math.min(k, refCount);
    let result: ReturnType<typeof searchBlocks>;
    if (rowMap) {
      temp = createReferenceBlocks(refData, refCount, dim, metric);
      try {
        result = searchBlocks(temp, q.data, q.count, dim, kk, metric);
      } finally {
        for (const b of temp) b.tensor.dispose();
      }
    } else {
      result = searchBlocks(ensureBlocks(), q.data, q.count, dim, kk, metric);
    }
    const out: Neighbours[] = [];
    const order = Array.from({ length: kk }, (_, i) => i);
    const value = new Float64Array(kk);
    const rows = new Int32Array(kk);
    for (let i = 0; i < q.count; i++) {
      for (let j = 0; j < kk; j++) {
        const local = result.indices[i * kk + j] as number;
        const row = rowMap ? (rowMap[local] as number) : local;
        rows[j] = row;
        if (metric === 'l2') {
          // Direct float64 distance: exact ordering among the k and no cancellation error.
          let s = 0;
          const qo = i * dim;
          const ro = row * dim;
          for (let c = 0; c < dim; c++) {
            const d = (q.data[qo + c] as number) - (vectors[ro + c] as number);
            s += d * d;
          }
          value[j] = Math.sqrt(s);
        } else {
          value[j] = result.scores[i * kk + j] as number;
        }
      }
      if (metric === 'l2') {
        for (let j = 0; j < kk; j++) order[j] = j;
        order.sort((a, b) => (value[a] as number) - (value[b] as number) || (rows[a] as number) - (rows[b] as number));
      }
      const nIds: VectorId[] = [];
      const nLabels: (number | null)[] = [];
      const distances = new Float32Array(kk);
      for (let j = 0; j < kk; j++) {
        const o = metric === 'l2' ? (order[j] as number) : j;
        const row = rows[o] as number;
        nIds.push(ids[row] as VectorId);
        nLabels.push(hasLabel[row] ? (labels[row] as number) : null);
        distances[j] = value[o] as number;
      }
      out.push({ ids: nIds, labels: nLabels, distances });
    }
    return out;
  }

  const index: ExactIndex = {
    specificationVersion,
    name: 'exact',
    dim,
    metric,
    isInverted: metric !== 'l2',
    async size() {
      return count;
    },
    async add(v, opts) {
      const p = readAddInput(v, opts, { dim, normalize: metric === 'cosine', method: 'add' });
      if (opts?.ids) {
        for (const id of opts.ids) {
          if (rowOf.has(id)) {
            throw new EmbError(
              'INVALID_ARGUMENT',
              `add: id ${quote(id)} is already in the index; use upsert() to replace it or remove() it first.`,
              {
                id,
              },
            );
          }
        }
      }
      return append(p, opts?.ids);
    },
    async upsert(v, opts) {
      if (opts === null || typeof opts !== 'object' || opts.ids === undefined) {
        throw new EmbError('INVALID_ARGUMENT', 'upsert needs { ids } (one per vector): it replaces entries by id.');
      }
      const p = readAddInput(v, opts, { dim, normalize: metric === 'cosine', method: 'upsert' });
      const fresh: number[] = [];
      for (let i = 0; i < p.n; i++) {
        const id = opts.ids[i] as VectorId;
        const row = rowOf.get(id);
        if (row === undefined) fresh.push(i);
        else writeRow(row, p, i, id);
      }
      ensureCapacity(count + fresh.length);
      for (const i of fresh) {
        writeRow(count, p, i, opts.ids[i] as VectorId);
        count++;
      }
      return [...opts.ids];
    },
    async remove(toRemove) {
      if (!Array.isArray(toRemove)) {
        throw new EmbError('INVALID_ARGUMENT', `remove expects an array of ids, got ${quote(toRemove)}.`);
      }
      let removed = 0;
      for (const id of toRemove) if (removeOne(id)) removed++;
      return removed;
    },
    async search(queries, k, opts) {
      await tf.ready();
      return searchSync(queries, k, opts);
    },
    has(id) {
      return rowOf.has(id);
    },
    get(id) {
      const row = rowOf.get(id);
      if (row === undefined) return undefined;
      return { ...entryAt(row), vector: vectors.slice(row * dim, (row + 1) * dim) };
    },
    toBytes() {
      return encodeIndexFile({
        metric,
        dim,
        count,
        vectors: vectors.subarray(0, count * dim),
        ids,
        labels,
        hasLabel,
        metadata,
        nextAutoId,
      });
    },
    dispose() {
      for (const b of blocks) b?.tensor.dispose();
      blocks = [];
      dirty.clear();
    },
  };
  return Object.freeze(index);
}
