import { type AnyRegistryEntry, isEmbError, type Loss, type LossInput } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import {
  type ConformanceBackend,
  type ConformanceCheck,
  check,
  describeChecks,
  type Finding,
  runChecks,
} from './conformance-check.js';
import { finiteDifferences } from './finite-differences.js';
import { checkNoLeaks } from './internal/leaks.js';
import { at2d, firstNonFinite, randomBatch, randomPermutation } from './internal/random-data.js';
import { assertKind, createThroughRegistry, registryChecks } from './internal/registry-checks.js';

/** Options of {@link describeLoss} and {@link checkLoss}. */
export interface DescribeLossOptions {
  /** Options passed to `create` (through the registry). Default `{}`. */
  readonly options?: Record<string, unknown>;
  /** Batch size, dimension and number of classes of the random test batch. Default 12, 6, 3. */
  readonly batch?: { readonly size: number; readonly dim: number; readonly classes: number };
  /** Backends to run on. Default `['wasm', 'cpu']` (the cpu backend must be importable). */
  readonly backends?: readonly ConformanceBackend[];
  /** Relative tolerance of the finite-difference gradient check. Default 3e-2 (float32). */
  readonly gradientTolerance?: number;
  /** Skip the check that an empty indices tuple gives a connected zero (losses that ignore tuples). */
  readonly ignoresIndices?: boolean;
  /** Skip the refEmbeddings check (losses without a reference set). */
  readonly noRefEmbeddings?: boolean;
  /**
   * Options merged into `options` for the finite-difference check only: pass a reducer
   * without jumps there (`meanReducer()`), since averaging only the non-zero terms changes
   * the count, and so the value, discontinuously.
   */
  readonly finiteDifferenceOptions?: Record<string, unknown>;
  /** Step of the central differences. Default 1e-2 (smaller for losses with kinks, e.g. histogram losses). */
  readonly finiteDifferenceStep?: number;
  /** Skip the permutation check (losses that depend on batch order by design, e.g. N-pairs keeps the first pair per class). */
  readonly orderDependent?: boolean;
  /** Option sets (merged into `options`) the schema must reject; the error must name the first key. */
  readonly badOptions?: readonly Record<string, unknown>[];
  /** Calls in the leak check under `tf.grad` (plain `compute()` calls: at most 10). Default 100. */
  readonly leakCalls?: number;
}

/**
 * The loss checks as plain functions (each throws a `ConformanceError` saying what is
 * wrong). {@link describeLoss} wraps them in vitest tests; {@link checkLoss} runs them.
 */
export function lossChecks(entry: AnyRegistryEntry, options: DescribeLossOptions = {}): ConformanceCheck[] {
  assertKind(entry, 'loss', 'describeLoss');
  const { size, dim, classes } = options.batch ?? { size: 12, dim: 6, classes: 3 };
  const what = `loss '${entry.name}'`;
  const make = (extra: Record<string, unknown> = {}): Loss =>
    createThroughRegistry<'loss'>(entry, { ...(options.options ?? {}), ...extra }) as Loss;
  const scalar = (t: tf.Scalar): number => {
    const v = t.dataSync()[0] as number;
    t.dispose();
    return v;
  };
  /** The gradient of `f` at `x` as numbers, failing with the first NaN / Infinity entry. */
  const gradient = (f: (e: tf.Tensor2D) => tf.Scalar, x: tf.Tensor2D, where: string): number[] => {
    const grad = tf.grad((e: tf.Tensor) => f(e as tf.Tensor2D))(x);
    const g = Array.from(grad.dataSync());
    grad.dispose();
    const bad = firstNonFinite(g);
    check(bad === null, () => `${what}: gradient is ${bad?.[1]} at index ${at2d(bad?.[0] ?? 0, x.shape[1])} ${where}.`);
    return g;
  };

  return [
    ...registryChecks(entry, options.options ?? {}, options.badOptions),
    {
      name: 'returns a finite scalar and gradients that match finite differences',
      run() {
        const loss = make(options.finiteDifferenceOptions);
        const { rows, labels } = randomBatch(1, size, dim, classes);
        const x = tf.tensor2d(rows);
        try {
          const f = (e: tf.Tensor2D) => loss.compute({ embeddings: e, labels });
          const value = f(x);
          check(
            value.rank === 0 && value.dtype === 'float32',
            `${what}: compute() returned shape ${JSON.stringify(value.shape)} (${value.dtype}); expected a float32 scalar.`,
          );
          const v = scalar(value);
          check(Number.isFinite(v), `${what}: compute() is ${v} on a random batch.`);
          const g = gradient(f, x, 'on a random batch');
          const coords = [0, 1, 2, 3, 4, 5].map((k) => [(k * 5) % size, (k * 3) % dim] as const);
          const fd = finiteDifferences(f, x, coords, options.finiteDifferenceStep);
          const scale = Math.max(1e-3, ...g.map(Math.abs));
          coords.forEach(([i, j], k) => {
            const analytic = g[i * dim + j] as number;
            check(
              Math.abs(analytic - (fd[k] as number)) <= (options.gradientTolerance ?? 3e-2) * scale,
              `${what}: d loss / d x[${i}][${j}] is ${analytic}, but central finite differences give ${fd[k]}.`,
            );
          });
        } finally {
          x.dispose();
        }
      },
    },
    {
      name: 'returns un-reduced terms whose indices match their losses, and tf.Variables',
      run() {
        const loss = make();
        check(
          loss.variables !== null && typeof loss.variables === 'object',
          `${what}: variables must be a record of tf.Variables ({} when there are none).`,
        );
        for (const [key, variable] of Object.entries(loss.variables)) {
          check(
            variable instanceof tf.Variable,
            `${what}: variables.${key} is not a tf.Variable; a trainer could not optimise it.`,
          );
        }
        const { rows, labels } = randomBatch(11, size, dim, classes);
        tf.tidy(() => {
          const terms = loss.terms({ embeddings: tf.tensor2d(rows), labels });
          check(terms !== null && typeof terms === 'object', `${what}: terms() must return { [name]: LossTerm }.`);
          const arity = { element: 1, pos_pair: 2, neg_pair: 2, triplet: 3 } as Record<string, number>;
          for (const [key, term] of Object.entries(terms)) {
            const where = `${what}: terms().${key}`;
            if (term.kind === 'already_reduced') {
              check(
                term.losses.rank === 0,
                `${where} is 'already_reduced' but its losses have shape ${JSON.stringify(term.losses.shape)}; expected a scalar.`,
              );
              continue;
            }
            const n = arity[term.kind];
            check(
              n !== undefined,
              `${where} has kind ${JSON.stringify(term.kind)}; expected element, pos_pair, neg_pair, triplet or already_reduced.`,
            );
            check(
              term.losses.rank === 1,
              `${where}: losses must be a 1-D tensor, got shape ${JSON.stringify(term.losses.shape)}.`,
            );
            check(
              Array.isArray(term.indices) && term.indices.length === n,
              `${where}: a '${term.kind}' term needs ${n} index arrays, got ${term.indices === null ? 'null' : term.indices.length}.`,
            );
            const count = term.losses.shape[0] as number;
            (term.indices as readonly Int32Array[]).forEach((ix, k) => {
              check(ix instanceof Int32Array, `${where}: indices[${k}] must be an Int32Array.`);
              check(ix.length === count, `${where}: indices[${k}] has ${ix.length} entries for ${count} losses.`);
              const bad = ix.findIndex((i) => i < 0 || i >= size);
              check(bad < 0, () => `${where}: indices[${k}][${bad}] = ${ix[bad]} is outside the batch [0, ${size}).`);
            });
          }
        });
      },
    },
    {
      name: 'rejects labels of the wrong count with an EmbError',
      run() {
        const loss = make();
        const { rows, labels } = randomBatch(12, size, dim, classes);
        let error: unknown;
        tf.tidy(() => {
          try {
            loss.compute({ embeddings: tf.tensor2d(rows), labels: labels.slice(1) });
          } catch (e) {
            error = e;
          }
        });
        check(
          isEmbError(error),
          `${what}: ${size - 1} labels for ${size} embeddings must throw an EmbError (toLabels from @emb/core checks this), got ${error === undefined ? 'a loss' : String(error)}.`,
        );
      },
    },
    {
      name: 'gives a zero that stays connected when nothing is mined',
      skip: options.ignoresIndices ? 'ignoresIndices' : undefined,
      run() {
        const loss = make();
        const { rows, labels } = randomBatch(2, size, dim, classes);
        const x = tf.tensor2d(rows);
        try {
          const empty = new Int32Array(0);
          const input = (e: tf.Tensor2D): LossInput => ({
            embeddings: e,
            labels,
            indices: { kind: 'triplets', anchors: empty, positives: empty, negatives: empty },
          });
          const v = scalar(loss.compute(input(x)));
          check(v === 0, `${what}: with an empty indices tuple the loss is ${v}; it must be 0 (sum(embeddings * 0)).`);
          const g = gradient((e) => loss.compute(input(e)), x, 'with an empty indices tuple');
          check(
            g.every((u) => u === 0),
            `${what}: with an empty indices tuple the gradient is not zero.`,
          );
        } finally {
          x.dispose();
        }
      },
    },
    {
      name: 'does not change when the batch is permuted',
      skip: options.orderDependent ? 'orderDependent' : undefined,
      run() {
        const loss = make();
        const { rows, labels } = randomBatch(3, size, dim, classes);
        const perm = randomPermutation(4, size);
        const a = tf.tidy(() => scalar(loss.compute({ embeddings: tf.tensor2d(rows), labels })));
        const b = tf.tidy(() =>
          scalar(
            loss.compute({
              embeddings: tf.tensor2d(perm.map((i) => rows[i] as number[])),
              labels: perm.map((i) => labels[i] as number),
            }),
          ),
        );
        check(
          Math.abs(a - b) <= 1e-4 * Math.max(1e-3, Math.abs(a)),
          `${what}: the loss is ${a} on a batch and ${b} on the same batch permuted (pass { orderDependent: true } if that is by design).`,
        );
      },
    },
    {
      name: 'accepts reference embeddings',
      skip: options.noRefEmbeddings ? 'noRefEmbeddings' : undefined,
      run() {
        const loss = make();
        const q = randomBatch(5, size, dim, classes);
        const r = randomBatch(6, size + 3, dim, classes);
        const value = tf.tidy(() =>
          scalar(
            loss.compute({
              embeddings: tf.tensor2d(q.rows),
              labels: q.labels,
              refEmbeddings: tf.tensor2d(r.rows),
              refLabels: r.labels,
            }),
          ),
        );
        check(Number.isFinite(value), `${what}: with refEmbeddings the loss is ${value}.`);
      },
    },
    {
      name: 'stays finite when embeddings coincide',
      run() {
        const loss = make();
        const { labels } = randomBatch(7, size, dim, classes);
        const x = tf.tidy(() => tf.tile(tf.randomNormal([1, dim], 0, 1, 'float32', 8), [size, 1]) as tf.Tensor2D);
        try {
          const value = tf.tidy(() => scalar(loss.compute({ embeddings: x, labels })));
          check(Number.isFinite(value), `${what}: the loss is ${value} when every embedding is the same point.`);
          gradient(
            (e) => loss.compute({ embeddings: e, labels }),
            x,
            'when every embedding is the same point (a sqrt of 0? use a safe sqrt)',
          );
        } finally {
          x.dispose();
        }
      },
    },
    {
      name: 'leaks no tensors',
      async run() {
        const loss = make();
        const { rows, labels } = randomBatch(9, size, dim, classes);
        const x = tf.tensor2d(rows);
        try {
          // Plain calls first: tf.grad runs its function in a tidy, which would hide a leak.
          await checkNoLeaks(
            `${what}: compute()`,
            () => tf.dispose(loss.compute({ embeddings: x, labels })),
            Math.min(options.leakCalls ?? 100, 10),
          );
          await checkNoLeaks(
            `${what}: compute() under tf.grad`,
            () => tf.dispose(tf.grad((e: tf.Tensor) => loss.compute({ embeddings: e as tf.Tensor2D, labels }))(x)),
            options.leakCalls ?? 100,
          );
        } finally {
          x.dispose();
        }
      },
    },
  ];
}

/**
 * Runs the loss checks on each backend and returns what failed (empty when the loss
 * conforms). Use it to test a checker, or outside vitest.
 */
export function checkLoss(entry: AnyRegistryEntry, options: DescribeLossOptions = {}): Promise<Finding[]> {
  return runChecks(() => lossChecks(entry, options), options.backends);
}

/**
 * The conformance suite every loss (built-in or plugin) passes, run with vitest:
 * creation through a registry with its option schema (unknown options rejected), a
 * finite scalar, gradients that match central finite differences, a connected zero
 * when an empty tuple is given, invariance to permuting the batch, the refEmbeddings
 * path, finite values at coincident embeddings, and no tensor leaks.
 *
 * @example
 * // my-loss.test.ts
 * describeLoss(myLossEntry, { options: { margin: 0.1 } });
 */
export function describeLoss(entry: AnyRegistryEntry, options: DescribeLossOptions = {}): void {
  describeChecks(
    (backend) => `loss '${entry.name}' conforms to the emb contract on ${backend}`,
    () => lossChecks(entry, options),
    options.backends,
  );
}
