import { type AnyRegistryEntry, createRng, type Index, isEmbError, type Neighbours, type VectorId } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import {
  type ConformanceCheck,
  check,
  describeChecks,
  type Finding,
  fail,
  runChecks,
  type SuiteOptions,
} from './conformance-check.js';
import { checkNoLeaks } from './internal/leaks.js';
import { assertKind, checkComponent, createThroughRegistry, registryChecks } from './internal/registry-checks.js';

/** Builds the index under test from `options` (the factory form of {@link describeIndex}). */
export type IndexFactory = (options: Record<string, unknown>) => Index | Promise<Index>;

/** Options of {@link describeIndex} and {@link checkIndex}. */
export interface DescribeIndexOptions extends SuiteOptions {
  /** Options passed to `create` (through the registry) or to the factory. Default `{ dim: 8 }`. */
  readonly options?: Record<string, unknown>;
  /** Name shown in test titles for the factory form. Default the factory's name. */
  readonly name?: string;
  /** Vectors stored in each check. Default 40. */
  readonly size?: number;
  /** Queries per search. Default 6. */
  readonly queries?: number;
  /** Neighbours per query. Default 5. */
  readonly k?: number;
  /**
   * Minimum recall@k against the reference (the share of the reference's k ids found).
   * Default 1: the same ids as the exact index. Approximate indexes pass e.g. 0.8.
   */
  readonly recall?: number;
  /** Tolerance of returned distances: `|d - exact| <= tol * max(1, |exact|)`. Default 1e-4. */
  readonly distanceTolerance?: number;
  /**
   * What `search` does when `k` exceeds the number of stored vectors: `'throws'` an
   * `EmbError('K_TOO_LARGE')` (the exact index's contract, default) or `'clips'` to the size.
   */
  readonly kTooLarge?: 'throws' | 'clips';
  /** Serialises an index. Default `index.toBytes()` when the index has it. */
  readonly save?: (index: Index) => Uint8Array | Promise<Uint8Array>;
  /** Rebuilds an index from `save`'s bytes. Without it the save/load round trip is skipped. */
  readonly load?: (bytes: Uint8Array) => Index | Promise<Index>;
  /**
   * Builds the reference index the results are compared with. Default `exactIndex({ dim,
   * distance: metric })` from `@emb/index` (metrics `'l2'`, `'cosine'`, `'dot'`).
   */
  readonly reference?: (dim: number, metric: string) => Index | Promise<Index>;
  /** Frees an index after a check. Default `index.dispose?.()`. */
  readonly dispose?: (index: Index) => void | Promise<void>;
  /** Option sets (merged into `options`) the schema must reject (entry form only). */
  readonly badOptions?: readonly Record<string, unknown>[];
  /** add/search/remove cycles in the leak check. Default 10. */
  readonly leakCalls?: number;
}

type Row = number[];

interface Stored {
  readonly vector: Row;
  readonly label: number;
  readonly metadata: Record<string, unknown>;
}

/** The metric value of the exact index (`'l2'` distance, `'cosine'` / `'dot'` similarity), in float64. */
function exactValue(metric: string, q: Row, v: Row): number | undefined {
  let dot = 0;
  let qq = 0;
  let vv = 0;
  let ss = 0;
  for (let i = 0; i < q.length; i++) {
    const a = q[i] as number;
    const b = v[i] as number;
    dot += a * b;
    qq += a * a;
    vv += b * b;
    ss += (a - b) * (a - b);
  }
  if (metric === 'l2') return Math.sqrt(ss);
  if (metric === 'dot') return dot;
  if (metric === 'cosine') return dot / Math.max(1e-12, Math.sqrt(qq * vv));
  return undefined;
}

async function defaultReference(dim: number, metric: string): Promise<Index> {
  if (metric !== 'l2' && metric !== 'cosine' && metric !== 'dot') {
    throw new Error(
      `describeIndex: metric '${metric}' has no exact reference in @emb/index; pass { reference: (dim, metric) => ... }.`,
    );
  }
  let mod: { exactIndex(o: { dim: number; distance: string }): Index };
  try {
    mod = (await import('@emb/index')) as unknown as typeof mod;
  } catch (cause) {
    throw new Error(
      'describeIndex compares with exactIndex from @emb/index: install it next to @emb/testkit (npm i -D @emb/index) or pass { reference }.',
      { cause },
    );
  }
  return mod.exactIndex({ dim, distance: metric });
}

/**
 * The index checks as plain functions (each throws a `ConformanceError` saying what is
 * wrong). {@link describeIndex} wraps them in vitest tests; {@link checkIndex} runs them.
 */
export function indexChecks(
  entryOrFactory: AnyRegistryEntry | IndexFactory,
  opts: DescribeIndexOptions = {},
): ConformanceCheck[] {
  const isFactory = typeof entryOrFactory === 'function';
  if (!isFactory) assertKind(entryOrFactory, 'index', 'describeIndex');
  const options = opts.options ?? { dim: 8 };
  const name = isFactory ? (opts.name ?? (entryOrFactory.name || 'index')) : entryOrFactory.name;
  const what = `index '${name}'`;
  const n = opts.size ?? 40;
  const nq = opts.queries ?? 6;
  const k = opts.k ?? 5;
  const recall = opts.recall ?? 1;
  const tol = opts.distanceTolerance ?? 1e-4;

  const make = async (): Promise<Index> =>
    isFactory ? await entryOrFactory(options) : createThroughRegistry<'index'>(entryOrFactory, options);
  const free = async (...indexes: (Index | undefined)[]) => {
    for (const index of indexes) {
      if (!index) continue;
      if (opts.dispose) await opts.dispose(index);
      else (index as { dispose?: () => void }).dispose?.();
    }
  };
  const reference = (index: Index) => (opts.reference ?? defaultReference)(index.dim, index.metric);

  /** Runs `body` with a fresh index and reference, freeing both afterwards. */
  const withIndexes = async (body: (index: Index, ref: Index) => Promise<void>) => {
    const index = await make();
    let ref: Index | undefined;
    try {
      ref = await reference(index);
      await body(index, ref);
    } finally {
      await free(index, ref);
    }
  };

  const vectors = (seed: number, count: number, dim: number): Row[] => {
    const rng = createRng(seed);
    return Array.from({ length: count }, () => Array.from({ length: dim }, () => rng.normal()));
  };

  /** Compares one search's results with the reference's and the stored data. */
  const compare = (
    label: string,
    index: Index,
    got: Neighbours[],
    want: Neighbours[],
    queries: Row[],
    stored: ReadonlyMap<VectorId, Stored>,
    expectedLength: (q: number) => number,
  ) => {
    check(Array.isArray(got), `${what}: ${label}: search() must resolve to an array of Neighbours, got ${String(got)}.`);
    check(got.length === queries.length, `${what}: ${label}: ${got.length} results for ${queries.length} queries.`);
    let found = 0;
    let total = 0;
    got.forEach((res, q) => {
      const ref = want[q] as Neighbours;
      const len = expectedLength(q);
      check(
        Array.isArray(res.ids) && Array.isArray(res.labels) && res.distances instanceof Float32Array,
        `${what}: ${label}: query ${q}: Neighbours must be { ids: array, labels: array, distances: Float32Array }.`,
      );
      check(
        res.ids.length === len && res.labels.length === len && res.distances.length === len,
        `${what}: ${label}: query ${q} returned ${res.ids.length} ids, ${res.labels.length} labels, ${res.distances.length} distances; expected ${len} of each.`,
      );
      res.ids.forEach((id, j) => {
        const s = stored.get(id);
        check(s !== undefined, `${what}: ${label}: query ${q} returned id ${JSON.stringify(id)}, which is not stored.`);
        check(
          res.labels[j] === s.label,
          `${what}: ${label}: query ${q}: id ${JSON.stringify(id)} came back with label ${String(res.labels[j])}; it was stored with ${s.label}.`,
        );
        const d = res.distances[j] as number;
        const truth = exactValue(index.metric, queries[q] as Row, s.vector) ?? ref.distances[ref.ids.indexOf(id)];
        if (truth !== undefined) {
          check(
            Math.abs(d - truth) <= tol * Math.max(1, Math.abs(truth)),
            `${what}: ${label}: query ${q}: distance to id ${JSON.stringify(id)} is ${d}; the exact ${index.metric} value is ${truth}.`,
          );
        }
        if (j > 0) {
          const prev = res.distances[j - 1] as number;
          const ordered = index.isInverted ? d <= prev + 1e-6 : d >= prev - 1e-6;
          check(
            ordered,
            `${what}: ${label}: query ${q}: results are not nearest first (${prev} then ${d} with isInverted ${index.isInverted}).`,
          );
        }
      });
      check(new Set(res.ids).size === res.ids.length, `${what}: ${label}: query ${q} returned an id twice.`);
      const refIds = new Set(ref.ids);
      found += res.ids.filter((id) => refIds.has(id)).length;
      total += ref.ids.length;
    });
    const r = total === 0 ? 1 : found / total;
    check(
      r >= recall - 1e-9,
      `${what}: ${label}: recall@${k} against the exact index is ${r.toFixed(3)}; expected at least ${recall}${recall === 1 ? ' (pass { recall } for an approximate index)' : ''}.`,
    );
  };

  /** Adds the same data to both indexes, returning the stored map (ids from the index under test). */
  const fill = async (index: Index, ref: Index, seed: number, withIds: boolean) => {
    const rows = vectors(seed, n, index.dim);
    const labels = rows.map((_, i) => i % 4);
    const metadata = rows.map((_, i) => ({ group: i % 3, tag: `t${i}` }));
    const given = withIds ? rows.map((_, i) => `v${seed}-${i}`) : undefined;
    const ids = await index.add(rows, { labels, metadata, ...(given ? { ids: given } : {}) });
    check(
      Array.isArray(ids) && ids.length === n,
      `${what}: add() of ${n} vectors resolved to ${Array.isArray(ids) ? `${ids.length} ids` : String(ids)}.`,
    );
    check(new Set(ids).size === n, `${what}: add() returned duplicate ids.`);
    if (given)
      check(
        ids.every((id, i) => id === given[i]),
        `${what}: add() with explicit ids must return those ids.`,
      );
    await ref.add(rows, { labels, metadata, ids });
    const stored = new Map<VectorId, Stored>();
    ids.forEach((id, i) => {
      stored.set(id, { vector: rows[i] as Row, label: labels[i] as number, metadata: metadata[i] as Record<string, unknown> });
    });
    return { stored, ids, rows };
  };

  const searchBoth = async (index: Index, ref: Index, queries: Row[], kk: number, filter?: Parameters<Index['search']>[2]) => ({
    got: await index.search(queries, kk, filter),
    want: await ref.search(queries, kk, filter),
  });

  const checks: ConformanceCheck[] = [
    ...(isFactory
      ? [
          {
            name: 'carries the contract version',
            async run() {
              const index = await make();
              try {
                checkComponent(index, { kind: 'index', name } as AnyRegistryEntry);
              } finally {
                await free(index);
              }
            },
          },
        ]
      : registryChecks(entryOrFactory, options, opts.badOptions)),
    {
      name: 'reports dim, metric and isInverted consistently, and starts empty',
      async run() {
        const index = await make();
        try {
          check(
            Number.isInteger(index.dim) && index.dim > 0,
            `${what}: dim must be a positive integer, got ${String(index.dim)}.`,
          );
          check(typeof index.metric === 'string', `${what}: metric must be a string, got ${String(index.metric)}.`);
          check(typeof index.isInverted === 'boolean', `${what}: isInverted must be a boolean.`);
          if (index.metric === 'l2' || index.metric === 'cosine' || index.metric === 'dot') {
            check(
              index.isInverted === (index.metric !== 'l2'),
              `${what}: metric '${index.metric}' has isInverted ${index.isInverted}; l2 is a distance (false), cosine and dot are similarities (true).`,
            );
          }
          check((await index.size()) === 0, `${what}: a new index must be empty, size() is ${await index.size()}.`);
        } finally {
          await free(index);
        }
      },
    },
    {
      name: 'adds vectors and answers searches like the exact index',
      run: () =>
        withIndexes(async (index, ref) => {
          const { stored } = await fill(index, ref, 1, false);
          check((await index.size()) === n, `${what}: size() is ${await index.size()} after adding ${n} vectors.`);
          const queries = vectors(2, nq, index.dim);
          const { got, want } = await searchBoth(index, ref, queries, k);
          compare(`search(${nq} queries, k = ${k})`, index, got, want, queries, stored, () => k);
          // A stored vector as the query finds itself first (not so for an unnormalised dot product).
          if (index.metric === 'dot') return;
          const [self] = await index.search([stored.get([...stored.keys()][3] as VectorId)?.vector as Row], 1);
          check(
            self?.ids[0] === [...stored.keys()][3],
            `${what}: searching for a stored vector did not return it first (got ${JSON.stringify(self?.ids)}).`,
          );
        }),
    },
    {
      name: 'accepts vectors as a tensor, rows, or a flat Float32Array',
      run: () =>
        withIndexes(async (index, ref) => {
          await fill(index, ref, 3, false);
          const queries = vectors(4, nq, index.dim);
          const rows = await index.search(queries, k);
          const flat = await index.search(Float32Array.from(queries.flat()), k);
          const t = tf.tensor2d(queries);
          let fromTensor: Neighbours[];
          try {
            fromTensor = await index.search(t, k);
          } finally {
            t.dispose();
          }
          for (const [label, other] of [
            ['a flat Float32Array', flat],
            ['a tensor', fromTensor],
          ] as const) {
            const same =
              other.length === rows.length && other.every((r, q) => JSON.stringify(r.ids) === JSON.stringify(rows[q]?.ids));
            check(same, `${what}: queries given as ${label} gave other neighbours than the same queries as rows.`);
          }
        }),
    },
    {
      name: 'stores explicit ids, labels and metadata, and applies filters before ranking',
      run: () =>
        withIndexes(async (index, ref) => {
          const { stored, ids } = await fill(index, ref, 5, true);
          const queries = vectors(6, nq, index.dim);
          const seen: string[] = [];
          const filter = (e: { id: VectorId; label: number | null; metadata: Readonly<Record<string, unknown>> | undefined }) => {
            const s = stored.get(e.id);
            if (s && (e.label !== s.label || JSON.stringify(e.metadata) !== JSON.stringify(s.metadata))) {
              seen.push(`${JSON.stringify(e.id)} as ${JSON.stringify(e)}`);
            }
            return e.metadata?.group === 0;
          };
          const { got, want } = await searchBoth(index, ref, queries, k, { filter });
          check(
            seen.length === 0,
            () => `${what}: the filter saw entries unlike what was stored: ${seen.slice(0, 3).join('; ')}.`,
          );
          compare('search with a metadata filter', index, got, want, queries, stored, () => k);
          for (const res of got) {
            const bad = res.ids.find((id) => stored.get(id)?.metadata.group !== 0);
            check(
              bad === undefined,
              `${what}: search with a filter returned id ${JSON.stringify(bad)}, which the filter rejects.`,
            );
          }
          // Fewer entries pass than k: the result is shorter, never padded.
          const few = new Set(ids.slice(0, 2));
          const short = await searchBoth(index, ref, queries, k, { filter: (e) => few.has(e.id) });
          compare('search with a filter that passes 2 entries', index, short.got, short.want, queries, stored, () => 2);
        }),
    },
    {
      name: 'rejects a duplicate id in add() and vectors of the wrong dimension with an EmbError',
      run: () =>
        withIndexes(async (index, ref) => {
          const { ids, rows } = await fill(index, ref, 7, true);
          let error: unknown;
          try {
            await index.add([rows[0] as Row], { ids: [ids[0] as VectorId] });
          } catch (e) {
            error = e;
          }
          check(
            isEmbError(error),
            `${what}: add() with an id already stored must throw an EmbError (use upsert to replace), got ${String(error)}.`,
          );
          error = undefined;
          try {
            await index.add([Array.from({ length: index.dim + 1 }, () => 0.5)]);
          } catch (e) {
            error = e;
          }
          check(
            isEmbError(error),
            `${what}: add() of a vector of dimension ${index.dim + 1} must throw an EmbError, got ${String(error)}.`,
          );
          check((await index.size()) === n, `${what}: a rejected add() changed size() to ${await index.size()}.`);
        }),
    },
    {
      name: 'removes entries and never returns them again',
      run: () =>
        withIndexes(async (index, ref) => {
          const { stored, ids } = await fill(index, ref, 8, false);
          const gone = ids.filter((_, i) => i % 4 === 1);
          const removed = await index.remove([...gone, 'not-a-stored-id']);
          await ref.remove(gone);
          check(
            removed === gone.length,
            `${what}: remove() of ${gone.length} stored ids and one unknown id returned ${removed}; expected ${gone.length}.`,
          );
          check(
            (await index.size()) === n - gone.length,
            `${what}: size() is ${await index.size()} after removing ${gone.length} of ${n}.`,
          );
          for (const id of gone) stored.delete(id);
          const queries = vectors(9, nq, index.dim);
          const { got, want } = await searchBoth(index, ref, queries, k);
          compare('search after remove()', index, got, want, queries, stored, () => k);
        }),
    },
    {
      name: 'upserts: replaces the vectors of existing ids and adds new ones',
      run: () =>
        withIndexes(async (index, ref) => {
          const { stored, ids } = await fill(index, ref, 10, true);
          const replaced = ids.slice(0, 5);
          const upIds = [...replaced, 'new-0', 'new-1', 'new-2'];
          const rows = vectors(11, upIds.length, index.dim);
          const labels = upIds.map((_, i) => 10 + i);
          const metadata = upIds.map(() => ({ group: 0 }));
          const out = await index.upsert(rows, { ids: upIds, labels, metadata });
          await ref.upsert(rows, { ids: upIds, labels, metadata });
          check(
            Array.isArray(out) && out.length === upIds.length && out.every((id, i) => id === upIds[i]),
            `${what}: upsert() must resolve to the given ids, got ${JSON.stringify(out)}.`,
          );
          check(
            (await index.size()) === n + 3,
            `${what}: size() is ${await index.size()} after upserting 5 existing and 3 new ids into ${n}.`,
          );
          upIds.forEach((id, i) => {
            stored.set(id, {
              vector: rows[i] as Row,
              label: labels[i] as number,
              metadata: metadata[i] as Record<string, unknown>,
            });
          });
          const queries = [...vectors(12, nq, index.dim), rows[0] as Row];
          const { got, want } = await searchBoth(index, ref, queries, k);
          compare('search after upsert()', index, got, want, queries, stored, () => k);
          check(
            index.metric === 'dot' || got[nq]?.ids[0] === replaced[0],
            `${what}: the replaced vector of id ${JSON.stringify(replaced[0])} is not found at its new position.`,
          );
        }),
    },
    {
      name: `answers k larger than the size as the contract says (${opts.kTooLarge ?? 'throws'})`,
      run: () =>
        withIndexes(async (index, ref) => {
          const small = vectors(13, 3, index.dim);
          const tryK = async (kk: number): Promise<{ result?: Neighbours[]; error?: unknown }> => {
            try {
              return { result: await index.search([small[0] as Row], kk) };
            } catch (error) {
              return { error };
            }
          };
          const empty = await tryK(1);
          await index.add(small, { labels: [0, 1, 2] });
          await ref.add(small, { labels: [0, 1, 2] });
          const over = await tryK(5);
          if ((opts.kTooLarge ?? 'throws') === 'throws') {
            for (const [label, r] of [
              ['k = 5 with 3 vectors', over],
              ['k = 1 on an empty index', empty],
            ] as const) {
              check(
                isEmbError(r.error, 'K_TOO_LARGE'),
                `${what}: search with ${label} must throw EmbError('K_TOO_LARGE'), got ${r.error === undefined ? `${r.result?.[0]?.ids.length} results` : String(r.error)} (pass { kTooLarge: 'clips' } if the index clips k).`,
              );
            }
          } else {
            check(
              over.error === undefined,
              `${what}: search with k = 5 and 3 vectors threw ${String(over.error)}; expected 3 results.`,
            );
            check(
              over.result?.[0]?.ids.length === 3,
              `${what}: search with k = 5 and 3 vectors returned ${over.result?.[0]?.ids.length} results; expected 3.`,
            );
            check(
              empty.error === undefined && empty.result?.[0]?.ids.length === 0,
              `${what}: search on an empty index should return empty neighbours.`,
            );
          }
        }),
    },
    {
      name: 'round-trips through bytes (save and load) with the same answers',
      skip: opts.load ? undefined : 'no load option: pass { load: (bytes) => ... } (and save) to check persistence',
      run: () =>
        withIndexes(async (index, ref) => {
          const { stored } = await fill(index, ref, 14, false);
          await index.remove([...stored.keys()].slice(0, 4));
          await ref.remove([...stored.keys()].slice(0, 4));
          for (const id of [...stored.keys()].slice(0, 4)) stored.delete(id);
          const save =
            opts.save ??
            ((i: Index) =>
              (i as { toBytes?: () => Uint8Array }).toBytes?.() ?? fail(`${what}: has no toBytes(); pass { save }.`));
          const bytes = await save(index);
          check(
            bytes instanceof Uint8Array,
            `${what}: save must produce a Uint8Array, got ${Object.prototype.toString.call(bytes)}.`,
          );
          const loaded = await (opts.load as NonNullable<DescribeIndexOptions['load']>)(bytes);
          try {
            check(
              loaded.dim === index.dim && loaded.metric === index.metric && loaded.isInverted === index.isInverted,
              `${what}: the loaded index has dim ${loaded.dim}, metric ${loaded.metric}; saved dim ${index.dim}, metric ${index.metric}.`,
            );
            check(
              (await loaded.size()) === stored.size,
              `${what}: the loaded index holds ${await loaded.size()} vectors; ${stored.size} were saved.`,
            );
            const queries = vectors(15, nq, index.dim);
            const before = await index.search(queries, k);
            const after = await loaded.search(queries, k);
            compare('search after load', loaded, after, await ref.search(queries, k), queries, stored, () => k);
            after.forEach((res, q) => {
              check(
                JSON.stringify(res.ids) === JSON.stringify(before[q]?.ids),
                `${what}: query ${q} finds other ids after save and load.`,
              );
            });
            const filter = {
              filter: (e: { metadata: Readonly<Record<string, unknown>> | undefined }) => e.metadata?.group === 1,
            };
            compare(
              'filtered search after load',
              loaded,
              await loaded.search(queries, k, filter),
              await ref.search(queries, k, filter),
              queries,
              stored,
              () => k,
            );
            // The loaded index keeps working: new auto ids do not collide with loaded ones.
            const more = vectors(16, 3, index.dim);
            const newIds = await loaded.add(more, { labels: [7, 7, 7] });
            check(
              newIds.every((id) => !stored.has(id)),
              `${what}: after load, add() reused a stored id (${JSON.stringify(newIds)}).`,
            );
            check((await loaded.size()) === stored.size + 3, `${what}: add() after load did not grow the index.`);
          } finally {
            await free(loaded);
          }
        }),
    },
    {
      name: 'leaks no tensors over add, search and remove',
      run: () =>
        withIndexes(async (index, ref) => {
          await fill(index, ref, 17, false);
          const queries = vectors(18, nq, index.dim);
          const extra = vectors(19, 1, index.dim);
          let i = 0;
          await checkNoLeaks(
            `${what}: add + search + remove`,
            async () => {
              const id = `leak-${i++}`;
              await index.add(extra, { ids: [id], labels: [0] });
              await index.search(queries, k);
              await index.remove([id]);
              await index.search(queries, k);
            },
            opts.leakCalls ?? 10,
          );
        }),
    },
  ];
  return checks;
}

/**
 * Runs the index checks on each backend and returns what failed (empty when the index
 * conforms). Use it to test a checker, or outside vitest.
 */
export function checkIndex(entryOrFactory: AnyRegistryEntry | IndexFactory, opts: DescribeIndexOptions = {}): Promise<Finding[]> {
  return runChecks(() => indexChecks(entryOrFactory, opts), opts.backends);
}

/**
 * The conformance suite every vector index (exact, approximate, SQL-backed; built-in or
 * plugin) passes, run with vitest. It compares every answer with `exactIndex` from
 * `@emb/index`: add and search (ids, labels, distances in the index's metric, nearest
 * first, recall@k), the three vector input forms, explicit ids, metadata and filters
 * (applied before ranking; fewer than k results when fewer pass), duplicate ids and wrong
 * dimensions rejected with an `EmbError`, remove, upsert, k larger than the size
 * (`K_TOO_LARGE` or clipped), a save/load round trip, and no tensor leaks. Given a registry
 * entry it also checks creation through the registry with the option schema.
 *
 * @example
 * // exact-index.conformance.test.ts
 * describeIndex(indexPlugin.entries[0], { options: { dim: 8, distance: 'cosine' }, load: (b) => exactIndexFromBytes(b) });
 * // an index without a registry entry: a factory
 * describeIndex((o) => hnswIndex(o), { options: { dim: 8 }, recall: 0.9 });
 */
export function describeIndex(entryOrFactory: AnyRegistryEntry | IndexFactory, opts: DescribeIndexOptions = {}): void {
  const name = typeof entryOrFactory === 'function' ? (opts.name ?? (entryOrFactory.name || 'index')) : entryOrFactory.name;
  const metric = typeof opts.options?.distance === 'string' ? ` (${opts.options.distance})` : '';
  describeChecks(
    (backend) => `index '${name}'${metric} conforms to the emb contract on ${backend}`,
    () => indexChecks(entryOrFactory, opts),
    opts.backends,
  );
}
