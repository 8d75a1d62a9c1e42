import { createRegistry, createRng, initBackend, isEmbError, type Loss, type LossInput, type RegistryEntry } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { finiteDifferences } from './finite-differences.js';

export interface DescribeLossOptions {
  /** Options passed to `create` (through the registry). Default `{}`. */
  readonly options?: Record<string, unknown>;
  /** Batch size, dimension and number of classes of the random test batch. Default 12, 6, 3. */
  readonly batch?: { readonly size: number; readonly dim: number; readonly classes: number };
  /** Backends to run on. Default `['wasm', 'cpu']` (the cpu backend must be importable). */
  readonly backends?: readonly ('wasm' | 'cpu')[];
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
  /** Calls in the leak check. Default 100. */
  readonly leakCalls?: number;
}

function randomBatch(seed: number, size: number, dim: number, classes: number) {
  const rng = createRng(seed);
  const rows = Array.from({ length: size }, () => Array.from({ length: dim }, () => rng.normal()));
  const labels = Array.from({ length: size }, (_, i) => i % classes);
  return { rows, labels };
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
export function describeLoss(entry: RegistryEntry<'loss', never>, options: DescribeLossOptions = {}): void {
  const { size, dim, classes } = options.batch ?? { size: 12, dim: 6, classes: 3 };
  const make = (extra: Record<string, unknown> = {}): Loss => {
    const registry = createRegistry();
    registry.register(entry);
    return registry.create('loss', entry.name, { ...(options.options ?? {}), ...extra });
  };
  for (const backend of options.backends ?? ['wasm', 'cpu']) {
    describe(`loss '${entry.name}' conforms to the emb contract on ${backend}`, () => {
      beforeAll(async () => {
        if (backend === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
        await initBackend({ backend, quiet: true });
      });

      it('is created through the registry and rejects an unknown option with a clear error', () => {
        const loss = make();
        expect(loss.name).toBeTypeOf('string');
        const registry = createRegistry();
        registry.register(entry);
        let error: unknown;
        try {
          registry.create('loss', entry.name, { ...(options.options ?? {}), notAnOptionOfThisLoss: 123 });
        } catch (e) {
          error = e;
        }
        expect(
          isEmbError(error, 'INVALID_OPTION'),
          `unknown options must be rejected (use a strict schema); got ${String(error)}`,
        ).toBe(true);
        expect(String((error as Error).message)).toContain('notAnOptionOfThisLoss');
      });

      it('returns a finite scalar and gradients that match finite differences', () => {
        const loss = make(options.finiteDifferenceOptions);
        const { rows, labels } = randomBatch(1, size, dim, classes);
        const x = tf.tensor2d(rows);
        const f = (e: tf.Tensor2D) => loss.compute({ embeddings: e, labels });
        const value = f(x);
        expect(value.rank).toBe(0);
        expect(value.dtype).toBe('float32');
        expect(Number.isFinite(value.dataSync()[0])).toBe(true);
        const grad = tf.grad((e: tf.Tensor) => f(e as tf.Tensor2D))(x);
        const g = grad.arraySync() as number[][];
        expect(g.flat().every(Number.isFinite)).toBe(true);
        const coords = [0, 1, 2, 3, 4, 5].map((k) => [(k * 5) % size, (k * 3) % dim] as const);
        const fd = finiteDifferences(f, x, coords, options.finiteDifferenceStep);
        const scale = Math.max(1e-3, ...g.flat().map(Math.abs));
        coords.forEach(([i, j], k) => {
          const analytic = (g[i] as number[])[j] as number;
          expect(
            Math.abs(analytic - (fd[k] as number)),
            `d loss / d x[${i}][${j}]: analytic ${analytic}, finite differences ${fd[k]}`,
          ).toBeLessThanOrEqual((options.gradientTolerance ?? 3e-2) * scale);
        });
        tf.dispose([x, value, grad]);
      });

      it.skipIf(options.ignoresIndices)('gives a zero that stays connected when nothing is mined', () => {
        const loss = make();
        const { rows, labels } = randomBatch(2, size, dim, classes);
        const x = tf.tensor2d(rows);
        const empty = new Int32Array(0);
        const input = (e: tf.Tensor2D): LossInput => ({
          embeddings: e,
          labels,
          indices: { kind: 'triplets', anchors: empty, positives: empty, negatives: empty },
        });
        const value = loss.compute(input(x));
        expect(value.dataSync()[0]).toBe(0);
        const grad = tf.grad((e: tf.Tensor) => loss.compute(input(e as tf.Tensor2D)))(x);
        expect(Array.from(grad.dataSync()).every((v) => v === 0)).toBe(true);
        tf.dispose([x, value, grad]);
      });

      it.skipIf(options.orderDependent)('does not change when the batch is permuted', () => {
        const loss = make();
        const { rows, labels } = randomBatch(3, size, dim, classes);
        const rng = createRng(4);
        const perm = rng.shuffle(Array.from({ length: size }, (_, i) => i));
        const a = tf.tidy(() => loss.compute({ embeddings: tf.tensor2d(rows), labels }).dataSync()[0] as number);
        const b = tf.tidy(
          () =>
            loss
              .compute({
                embeddings: tf.tensor2d(perm.map((i) => rows[i] as number[])),
                labels: perm.map((i) => labels[i] as number),
              })
              .dataSync()[0] as number,
        );
        expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-4 * Math.max(1e-3, Math.abs(a)));
      });

      it.skipIf(options.noRefEmbeddings)('accepts reference embeddings', () => {
        const loss = make();
        const q = randomBatch(5, size, dim, classes);
        const r = randomBatch(6, size + 3, dim, classes);
        const value = tf.tidy(
          () =>
            loss
              .compute({
                embeddings: tf.tensor2d(q.rows),
                labels: q.labels,
                refEmbeddings: tf.tensor2d(r.rows),
                refLabels: r.labels,
              })
              .dataSync()[0] as number,
        );
        expect(Number.isFinite(value)).toBe(true);
      });

      it('stays finite when embeddings coincide', () => {
        const loss = make();
        const { labels } = randomBatch(7, size, dim, classes);
        const x = tf.tidy(() => tf.tile(tf.randomNormal([1, dim], 0, 1, 'float32', 8), [size, 1]) as tf.Tensor2D);
        const grad = tf.grad((e: tf.Tensor) => loss.compute({ embeddings: e as tf.Tensor2D, labels }))(x);
        const value = tf.tidy(() => loss.compute({ embeddings: x, labels }).dataSync()[0] as number);
        expect(Number.isFinite(value)).toBe(true);
        expect(Array.from(grad.dataSync()).every(Number.isFinite), 'gradient has NaN or Infinity at coincident embeddings').toBe(
          true,
        );
        tf.dispose([x, grad]);
      });

      it('leaks no tensors', () => {
        const loss = make();
        const { rows, labels } = randomBatch(9, size, dim, classes);
        const x = tf.tensor2d(rows);
        const step = () => tf.dispose(tf.grad((e: tf.Tensor) => loss.compute({ embeddings: e as tf.Tensor2D, labels }))(x));
        step();
        const before = tf.memory().numTensors;
        for (let i = 0; i < (options.leakCalls ?? 100); i++) step();
        expect(tf.memory().numTensors).toBe(before);
        x.dispose();
      });
    });
  }
}
