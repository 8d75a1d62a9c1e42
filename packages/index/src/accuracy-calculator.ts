import { EmbError, type Index, type LabelsLike, quote, toLabels, type VectorId, type VectorsLike } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import { adjustedMutualInfo } from './adjusted-mutual-info.js';
import { exactKnn, removeSelf } from './exact-knn.js';
import { kMeans } from './k-means.js';
import { normalizedMutualInfo } from './normalized-mutual-info.js';
import { getSelfKnnExecutor } from './parallel-executor.js';
import {
  meanAveragePrecision,
  meanAveragePrecisionAtR,
  meanReciprocalRank,
  precisionAt1,
  type RetrievalInput,
  recallAt,
  rPrecision,
} from './retrieval-metrics.js';
import { toVectorRows } from './to-vector-rows.js';

/** The metrics of {@link accuracyCalculator} (PML's names in camelCase). */
export type AccuracyMetric =
  | 'precisionAt1'
  | 'rPrecision'
  | 'meanAveragePrecisionAtR'
  | 'meanAveragePrecision'
  | 'meanReciprocalRank'
  | 'nmi'
  | 'ami';

const ALL_METRICS: readonly AccuracyMetric[] = [
  'ami',
  'meanAveragePrecision',
  'meanAveragePrecisionAtR',
  'meanReciprocalRank',
  'nmi',
  'precisionAt1',
  'rPrecision',
];
const KNN_METRICS: readonly AccuracyMetric[] = [
  'precisionAt1',
  'rPrecision',
  'meanAveragePrecisionAtR',
  'meanAveragePrecision',
  'meanReciprocalRank',
];

/** Builds the index the calculator searches (an approximate or SQL plugin, say). */
export type IndexFactory = (spec: { readonly dim: number; readonly metric: 'l2' }) => Index | Promise<Index>;

/** Options of {@link accuracyCalculator} (PML's `AccuracyCalculator` kwargs, camelCase). */
export interface AccuracyCalculatorOptions {
  /** Metrics to compute. Default: all of PML's (`precisionAt1`, `rPrecision`, `meanAveragePrecisionAtR`, `meanAveragePrecision`, `meanReciprocalRank`, `nmi`, `ami`). */
  readonly include?: readonly AccuracyMetric[];
  /** Metrics to leave out of `include`. Default none. */
  readonly exclude?: readonly AccuracyMetric[];
  /**
   * Neighbours per query: a positive integer, `'max_bin_count'` (the largest class size among
   * the query labels, minus 1 when the reference includes the query) or `null` (default: every
   * reference item, minus the query itself).
   */
  readonly k?: number | 'max_bin_count' | null;
  /** Average per query label first, then over labels. Default false. */
  readonly avgOfAvgs?: boolean;
  /** Also report Recall@k (a same-label item among the first k) for each k listed. Default none. */
  readonly recallAtK?: readonly number[];
  /** Search with this index instead of the built-in exact search; `knnRecall` then reports its recall against exact neighbours. */
  readonly index?: IndexFactory;
  /** Seed of the k-means behind `nmi` / `ami`. Default 0. */
  readonly seed?: number;
}

/** Inputs of {@link AccuracyCalculator.compute}. */
export interface AccuracyInput {
  readonly query: VectorsLike;
  readonly queryLabels: LabelsLike;
  /** Default: the query set itself (then `refIncludesQuery` is true). */
  readonly reference?: VectorsLike;
  readonly referenceLabels?: LabelsLike;
  /** Query row `i` is reference row `i` and must not count as its own neighbour. Default: true exactly when `reference` is omitted. */
  readonly refIncludesQuery?: boolean;
}

/** What {@link AccuracyCalculator.compute} returns: each requested metric, and the neighbours used. */
export interface AccuracyResult {
  readonly precisionAt1?: number;
  readonly rPrecision?: number;
  readonly meanAveragePrecisionAtR?: number;
  readonly meanAveragePrecision?: number;
  readonly meanReciprocalRank?: number;
  readonly nmi?: number;
  readonly ami?: number;
  /** Recall@k for each k of `recallAtK`. */
  readonly recallAtK?: Readonly<Record<number, number>>;
  /** The neighbours the k-NN metrics used: `k` per query (self removed), row-major reference indices, nearest first. */
  readonly knn?: { readonly k: number; readonly indices: Int32Array };
  /** With a custom `index`: the fraction of exact neighbours it found (mean over queries of |found ∩ exact| / k). */
  readonly knnRecall?: number;
}

export interface AccuracyCalculator {
  readonly options: Readonly<AccuracyCalculatorOptions>;
  compute(input: AccuracyInput): Promise<AccuracyResult>;
}

function dimOf(v: VectorsLike, name: string): number {
  if (Array.isArray(v)) {
    const first = v[0] as ArrayLike<number> | undefined;
    if (first === undefined) throw new EmbError('EMPTY_BATCH', `${name} is empty; pass at least one row.`, { name });
    return first.length;
  }
  const shape = (v as { shape?: unknown }).shape;
  if (Array.isArray(shape) && shape.length === 2) return shape[1] as number;
  throw new EmbError('INVALID_ARGUMENT', `${name} must be a [N, D] tf.Tensor2D or an array of rows, got ${quote(v)}.`, { name });
}

/**
 * Retrieval and clustering accuracy with the semantics of pytorch-metric-learning 2.8.1's
 * `AccuracyCalculator`: everything in float32, exact squared-L2 k-NN (no normalisation),
 * the query itself removed when the reference includes it, "lone" queries (no same-label
 * reference item) dropped from the k-NN metrics, k-means (k = number of query labels,
 * 20 iterations, seeded k-means++) for NMI / AMI with scikit-learn's definitions.
 *
 * Differences from PML, all documented: an integer `k` (or a `recallAtK` entry) larger than
 * the reference set throws `K_TOO_LARGE` instead of returning faiss's -1 padding; k-means is
 * not faiss's (same algorithm, different random stream), so `nmi` / `ami` agree with PML
 * only on well-separated clusters; with `k < R`, `meanAveragePrecisionAtR` divides by
 * `min(R, k)` like PML's relevance mask.
 *
 * @example
 * const calc = accuracyCalculator({ include: ['precisionAt1', 'meanAveragePrecisionAtR'], k: 'max_bin_count' });
 * const { precisionAt1, meanAveragePrecisionAtR } = await calc.compute({ query: embeddings, queryLabels: labels });
 */
export function accuracyCalculator(options: AccuracyCalculatorOptions = {}): AccuracyCalculator {
  if (options === null || typeof options !== 'object') {
    throw new EmbError('INVALID_OPTION', `accuracyCalculator options must be an object, got ${quote(options)}.`);
  }
  const known = ['include', 'exclude', 'k', 'avgOfAvgs', 'recallAtK', 'index', 'seed'];
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new EmbError(
        'INVALID_OPTION',
        `accuracyCalculator: unknown option ${quote(key)}; the options are ${known.join(', ')}.`,
        { option: key },
      );
    }
  }
  for (const name of ['include', 'exclude'] as const) {
    const list = options[name];
    if (list === undefined) continue;
    if (!Array.isArray(list))
      throw new EmbError('INVALID_OPTION', `accuracyCalculator: ${name} must be an array of metric names, got ${quote(list)}.`);
    for (const m of list) {
      if (!ALL_METRICS.includes(m)) {
        throw new EmbError(
          'INVALID_OPTION',
          `accuracyCalculator: unknown metric ${quote(m)} in ${name}; the metrics are ${ALL_METRICS.join(', ')}.`,
          {
            option: name,
            value: m,
          },
        );
      }
    }
  }
  const k = options.k ?? null;
  if (k !== null && k !== 'max_bin_count' && !(typeof k === 'number' && Number.isInteger(k) && k > 0)) {
    throw new EmbError(
      'INVALID_OPTION',
      `accuracyCalculator: k must be a positive integer, 'max_bin_count' or null, got ${quote(k)}.`,
      {
        option: 'k',
        value: k,
      },
    );
  }
  const recallAtK = options.recallAtK ?? [];
  if (!Array.isArray(recallAtK) || !recallAtK.every((x) => Number.isInteger(x) && x > 0)) {
    throw new EmbError(
      'INVALID_OPTION',
      `accuracyCalculator: recallAtK must be a list of positive integers, got ${quote(recallAtK)}.`,
      {
        option: 'recallAtK',
      },
    );
  }
  if (options.index !== undefined && typeof options.index !== 'function') {
    throw new EmbError(
      'INVALID_OPTION',
      `accuracyCalculator: index must be a function ({ dim, metric }) => Index, got ${quote(options.index)}.`,
    );
  }
  const included = (options.include && options.include.length > 0 ? options.include : ALL_METRICS).filter(
    (m) => !(options.exclude ?? []).includes(m),
  );
  const avgOfAvgs = options.avgOfAvgs ?? false;
  const frozen = Object.freeze({ ...options });

  async function compute(input: AccuracyInput): Promise<AccuracyResult> {
    if (input === null || typeof input !== 'object') {
      throw new EmbError(
        'INVALID_ARGUMENT',
        `compute expects { query, queryLabels, reference?, referenceLabels?, refIncludesQuery? }, got ${quote(input)}.`,
      );
    }
    await tf.ready();
    const dim = dimOf(input.query, 'query');
    const q = toVectorRows(input.query, dim, 'query');
    const nq = q.count;
    const queryLabels = toLabels(input.queryLabels, { name: 'queryLabels', length: nq });
    const separate = input.reference !== undefined;
    if (separate !== (input.referenceLabels !== undefined)) {
      throw new EmbError(
        'INVALID_ARGUMENT',
        'compute: pass reference and referenceLabels together (or neither, to use the query set as reference).',
      );
    }
    const r = separate ? toVectorRows(input.reference as VectorsLike, dim, 'reference') : q;
    const nr = r.count;
    const refLabels = separate
      ? toLabels(input.referenceLabels as LabelsLike, { name: 'referenceLabels', length: nr })
      : queryLabels;
    const refIncludesQuery = input.refIncludesQuery ?? !separate;
    if (refIncludesQuery && nr < nq) {
      throw new EmbError(
        'INVALID_ARGUMENT',
        `compute: refIncludesQuery needs query row i to be reference row i, but there are ${nq} queries and ${nr} reference rows.`,
      );
    }
    const self = refIncludesQuery ? 1 : 0;
    const result: Record<string, unknown> = {};

    const wantKnn = included.some((m) => KNN_METRICS.includes(m)) || recallAtK.length > 0;
    if (wantKnn) {
      // R per query: same-label reference items (PML counts them per unique query label).
      const refCounts = new Map<number, number>();
      for (const l of refLabels) refCounts.set(l, (refCounts.get(l) ?? 0) + 1);
      const relevant = new Int32Array(nq);
      const keep = new Uint8Array(nq);
      let maxBin = 0;
      for (let i = 0; i < nq; i++) {
        const c = refCounts.get(queryLabels[i] as number) ?? 0;
        maxBin = Math.max(maxBin, c);
        relevant[i] = c - self;
        keep[i] = c - self > 0 ? 1 : 0;
      }
      const available = nr - self;
      const numK = k === 'max_bin_count' ? maxBin - self : k === null ? available : k;
      const depth = Math.max(numK, ...recallAtK);
      if (depth > available) {
        throw new EmbError(
          'K_TOO_LARGE',
          `accuracyCalculator: ${depth} neighbours per query were asked for (k / recallAtK) but the reference has only ${available} candidates per query.`,
          { k: depth, available },
        );
      }
      let indices: Int32Array;
      if (options.index) {
        indices = await searchWithIndex(options.index, q.data, nq, r.data, nr, dim, depth, refIncludesQuery);
        const exact = exactKnn(q.data, nq, r.data, nr, dim, depth, refIncludesQuery);
        result.knnRecall = knnRecall(indices, exact, nq, depth);
      } else {
        const parallel = getSelfKnnExecutor();
        // Worker threads (enableWorkerThreads in @emb/index/node) pay off on large sets only.
        indices =
          parallel && !separate && refIncludesQuery && nq >= 4096
            ? await parallel(q.data, nq, dim, depth)
            : exactKnn(q.data, nq, r.data, nr, dim, depth, refIncludesQuery);
      }
      const knnLabels = new Int32Array(indices.length);
      for (let i = 0; i < indices.length; i++) knnLabels[i] = refLabels[indices[i] as number] as number;
      const metricInput: RetrievalInput = { knnLabels, width: depth, k: numK, queryLabels, relevant, keep, avgOfAvgs };
      if (included.includes('precisionAt1')) result.precisionAt1 = precisionAt1(metricInput);
      if (included.includes('rPrecision')) result.rPrecision = rPrecision(metricInput);
      if (included.includes('meanAveragePrecisionAtR')) result.meanAveragePrecisionAtR = meanAveragePrecisionAtR(metricInput);
      if (included.includes('meanAveragePrecision')) result.meanAveragePrecision = meanAveragePrecision(metricInput);
      if (included.includes('meanReciprocalRank')) result.meanReciprocalRank = meanReciprocalRank(metricInput);
      if (recallAtK.length > 0) {
        const recalls: Record<number, number> = {};
        for (const at of recallAtK) recalls[at] = recallAt(metricInput, at);
        result.recallAtK = Object.freeze(recalls);
      }
      let knnIndices = indices;
      if (depth !== numK) {
        knnIndices = new Int32Array(nq * numK);
        for (let i = 0; i < nq; i++) knnIndices.set(indices.subarray(i * depth, i * depth + numK), i * numK);
      }
      result.knn = Object.freeze({ k: numK, indices: knnIndices });
    }

    if (included.includes('nmi') || included.includes('ami')) {
      const clusters = new Set(queryLabels).size;
      const { assignments } = await kMeans(q.data, { k: clusters, dim, niter: 20, seed: options.seed ?? 0 });
      if (included.includes('nmi')) result.nmi = normalizedMutualInfo(queryLabels, assignments);
      if (included.includes('ami')) result.ami = adjustedMutualInfo(queryLabels, assignments);
    }
    return Object.freeze(result) as AccuracyResult;
  }

  return Object.freeze({ options: frozen, compute });
}

async function searchWithIndex(
  factory: IndexFactory,
  query: Float32Array,
  nq: number,
  reference: Float32Array,
  nr: number,
  dim: number,
  k: number,
  refIncludesQuery: boolean,
): Promise<Int32Array> {
  const index = await factory({ dim, metric: 'l2' });
  try {
    const ids = Array.from({ length: nr }, (_, i) => i);
    await index.add(reference.slice(0, nr * dim), { ids });
    const kk = refIncludesQuery ? k + 1 : k;
    const found = await index.search(query.slice(0, nq * dim), kk);
    const flat = new Int32Array(nq * kk).fill(-1);
    found.forEach((n, i) => {
      n.ids.slice(0, kk).forEach((id: VectorId, j) => {
        flat[i * kk + j] = typeof id === 'number' ? id : Number(id);
      });
    });
    for (let i = 0; i < flat.length; i++) {
      const id = flat[i] as number;
      if (!(id >= 0 && id < nr)) {
        throw new EmbError(
          'INVALID_ARGUMENT',
          `The index returned ${found[Math.floor(i / kk)]?.ids.length ?? 0} neighbours or an unknown id where ${kk} were asked for.`,
        );
      }
    }
    return refIncludesQuery ? removeSelf(flat, nq, kk) : flat;
  } finally {
    (index as { dispose?: () => void }).dispose?.();
  }
}

function knnRecall(found: Int32Array, exact: Int32Array, n: number, k: number): number {
  if (n === 0 || k === 0) return 1;
  let hits = 0;
  const set = new Set<number>();
  for (let i = 0; i < n; i++) {
    set.clear();
    for (let j = 0; j < k; j++) set.add(exact[i * k + j] as number);
    for (let j = 0; j < k; j++) if (set.has(found[i * k + j] as number)) hits++;
  }
  return hits / (n * k);
}
