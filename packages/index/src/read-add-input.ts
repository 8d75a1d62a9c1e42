import { type AddOptions, EmbError, quote, toLabels, type VectorId, type VectorsLike } from '@emb/core';
import { assertVectorId } from './assert-vector-id.js';
import { normalizeRows, toVectorRows } from './to-vector-rows.js';

/** The checked input of an `add` / `upsert` call, as {@link readAddInput} returns it. */
export interface AddInput {
  /** The vectors, row-major, a private copy (L2-normalised when `normalize` was set). */
  readonly data: Float32Array;
  /** How many vectors. */
  readonly n: number;
  /** One label per vector, or `undefined` when none were given. */
  readonly labels: Int32Array | undefined;
  /** One detached, frozen metadata object (or `undefined`) per vector, or `undefined` when none were given. */
  readonly metadata: (Readonly<Record<string, unknown>> | undefined)[] | undefined;
  /** A copy of the given ids (checked: valid and distinct), or `undefined` when the backend assigns them. */
  readonly ids: VectorId[] | undefined;
}

/** Options of {@link readAddInput}. */
export interface ReadAddInputOptions {
  /** The index's dimension. */
  readonly dim: number;
  /** L2-normalise the rows (for a cosine metric). Default `false`. */
  readonly normalize?: boolean;
  /** The method name that error messages start with (`'add'`, `'upsert'`). Default `'add'`. */
  readonly method?: string;
}

function readMetadata(m: unknown, i: number, method: string): Readonly<Record<string, unknown>> | undefined {
  if (m === undefined || m === null) return undefined;
  if (typeof m !== 'object' || Array.isArray(m)) {
    throw new EmbError('INVALID_ARGUMENT', `${method}: metadata[${i}] must be a plain object, got ${quote(m)}.`, { index: i });
  }
  // A JSON round trip both checks that the index can be saved and detaches the stored copy.
  let copy: unknown;
  try {
    copy = JSON.parse(JSON.stringify(m));
  } catch (cause) {
    throw new EmbError(
      'INVALID_ARGUMENT',
      `${method}: metadata[${i}] cannot be stored: it is not JSON-serialisable (${String(cause)}).`,
      { index: i },
      { cause },
    );
  }
  return Object.freeze(copy as Record<string, unknown>);
}

/**
 * Checks and reads the arguments of an `Index.add` / `upsert` call the way `exactIndex`
 * does, so that every backend rejects bad input with the same typed errors: the vectors
 * through {@link toVectorRows}, `labels` through `toLabels` (one per vector), `metadata`
 * (one plain JSON-serialisable object or `undefined` per vector, copied and frozen) and
 * `ids` (one valid id per vector, no repeats). All failures throw `EmbError` with a message
 * that starts with `method` and quotes the bad value. Options it does not know are left to
 * the caller (a backend checks its own extras, such as a progress callback).
 *
 * Whether an id already exists is the backend's question (it alone knows what it stores).
 *
 * @example
 * async add(vectors, opts) {
 *   const p = readAddInput(vectors, opts, { dim, normalize: metric === 'cosine', method: 'add' });
 *   const ids = p.ids ?? allocateIds(p.n);
 *   // store p.data rows with ids, p.labels?.[i] ?? null, p.metadata?.[i]
 * }
 */
export function readAddInput(vectors: VectorsLike, opts: AddOptions | undefined, options: ReadAddInputOptions): AddInput {
  const { dim, normalize = false, method = 'add' } = options;
  if (opts !== undefined && (opts === null || typeof opts !== 'object')) {
    throw new EmbError('INVALID_ARGUMENT', `${method}: options must be { ids?, labels?, metadata? }, got ${quote(opts)}.`);
  }
  const rows = toVectorRows(vectors, dim, 'vectors');
  if (normalize) normalizeRows(rows.data, dim);
  const n = rows.count;
  const labels = opts?.labels === undefined ? undefined : toLabels(opts.labels, { name: 'labels', length: n });
  let metadata: (Readonly<Record<string, unknown>> | undefined)[] | undefined;
  if (opts?.metadata !== undefined) {
    if (!Array.isArray(opts.metadata) || opts.metadata.length !== n) {
      throw new EmbError(
        'INVALID_ARGUMENT',
        `${method}: metadata must be an array with one entry per vector (${n}), got ${quote(opts.metadata)}.`,
      );
    }
    metadata = opts.metadata.map((m, i) => readMetadata(m, i, method));
  }
  let ids: VectorId[] | undefined;
  if (opts?.ids !== undefined) {
    if (!Array.isArray(opts.ids) || opts.ids.length !== n) {
      throw new EmbError(
        'INVALID_ARGUMENT',
        `${method}: ids must be an array with one id per vector (${n}), got ${quote(opts.ids)}.`,
      );
    }
    const seen = new Set<VectorId>();
    opts.ids.forEach((id, i) => {
      assertVectorId(id, `ids[${i}]`);
      if (seen.has(id)) throw new EmbError('INVALID_ARGUMENT', `${method}: id ${quote(id)} appears twice in ids.`, { id });
      seen.add(id);
    });
    ids = [...opts.ids];
  }
  return { data: rows.data, n, labels, metadata, ids };
}
