import { type AnyRegistryEntry, createRng, type Sampler } from '@emb/core';
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
import { assertKind, createThroughRegistry, registryChecks } from './internal/registry-checks.js';

/** Options of {@link describeSampler} and {@link checkSampler}. */
export interface DescribeSamplerOptions extends SuiteOptions {
  /** Options passed to `create` through the registry. Default `{}`. */
  readonly options?: Record<string, unknown>;
  /**
   * Dataset labels the sampler draws from. Default: 48 rows of 6 classes of unequal sizes
   * (4, 6, 8, 10, 8 and 12 rows), in a seeded shuffled order.
   */
  readonly labels?: readonly number[];
  /** Rows every batch must have. Default `options.batchSize` when it is a number, else unchecked. */
  readonly batchSize?: number;
  /** Batches an epoch must have. Default unchecked. */
  readonly numBatches?: number;
  /** Distinct classes every batch must have (P of P x K sampling). Default unchecked. */
  readonly classesPerBatch?: number;
  /** The sampler promises to use every row at least once per epoch. Default `false`. */
  readonly coversEpoch?: boolean;
  /** The sampler ignores the rng (fixed order): skip "a different seed gives different batches". */
  readonly deterministic?: boolean;
  /** Option sets (merged into `options`) the schema must reject; the error must name the first key. */
  readonly badOptions?: readonly Record<string, unknown>[];
  /** Calls in the leak check. Default 20. */
  readonly leakCalls?: number;
}

/** 48 rows: classes 0..5 with 4, 6, 8, 10, 8 and 12 rows, shuffled with seed 11. */
function defaultLabels(): number[] {
  const sizes = [4, 6, 8, 10, 8, 12];
  const labels = sizes.flatMap((n, c) => Array.from({ length: n }, () => c));
  return createRng(11).shuffle(labels);
}

function sameBatches(a: readonly Int32Array[], b: readonly Int32Array[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => {
      const y = b[i] as Int32Array;
      return x.length === y.length && x.every((v, k) => v === y[k]);
    })
  );
}

/**
 * The sampler checks as plain functions (each throws a `ConformanceError` saying what is
 * wrong). {@link describeSampler} wraps them in vitest tests; {@link checkSampler} runs them.
 */
export function samplerChecks(entry: AnyRegistryEntry, opts: DescribeSamplerOptions = {}): ConformanceCheck[] {
  assertKind(entry, 'sampler', 'describeSampler');
  const options = opts.options ?? {};
  const labels = opts.labels ?? defaultLabels();
  const n = labels.length;
  const batchSize = opts.batchSize ?? (typeof options.batchSize === 'number' ? options.batchSize : undefined);
  const what = `sampler '${entry.name}'`;
  const make = () => createThroughRegistry<'sampler'>(entry, options) as Sampler;
  const epoch = (sampler: Sampler, seed: number, labelsLike: Parameters<Sampler['epoch']>[0] = labels) =>
    sampler.epoch(labelsLike, createRng(seed));

  return [
    ...registryChecks(entry, options, opts.badOptions),
    {
      name: 'returns batches of the promised size with row indices in range',
      run() {
        const batches = epoch(make(), 1);
        check(Array.isArray(batches), `${what}: epoch() must return an array of Int32Array batches, got ${String(batches)}.`);
        check(batches.length > 0, `${what}: epoch() returned no batches for ${n} rows.`);
        if (opts.numBatches !== undefined) {
          check(
            batches.length === opts.numBatches,
            `${what}: expected ${opts.numBatches} batches per epoch, got ${batches.length}.`,
          );
        }
        batches.forEach((batch, b) => {
          check(
            batch instanceof Int32Array,
            `${what}: batch ${b} is not an Int32Array (got ${Object.prototype.toString.call(batch)}).`,
          );
          check(batch.length > 0, `${what}: batch ${b} is empty.`);
          if (batchSize !== undefined) {
            check(batch.length === batchSize, `${what}: batch ${b} has ${batch.length} rows; the sampler promises ${batchSize}.`);
          }
          const bad = batch.findIndex((i) => i < 0 || i >= n);
          check(bad < 0, () => `${what}: batch ${b} holds row ${batch[bad]} at position ${bad}, outside [0, ${n}).`);
          if (opts.classesPerBatch !== undefined) {
            const classes = new Set(Array.from(batch, (i) => labels[i]));
            check(
              classes.size === opts.classesPerBatch,
              `${what}: batch ${b} has ${classes.size} distinct classes; expected ${opts.classesPerBatch}.`,
            );
          }
        });
      },
    },
    {
      name: 'gives the same batches for the same seed and different ones for another seed',
      run() {
        const a = epoch(make(), 5);
        const b = epoch(make(), 5);
        check(
          sameBatches(a, b),
          `${what}: two samplers with the same options and createRng(5) gave different batches; draw every random choice from the rng argument.`,
        );
        check(sameBatches(a, epoch(make(), 5)), `${what}: the batches changed between calls with the same seed.`);
        if (!opts.deterministic) {
          check(
            !sameBatches(a, epoch(make(), 6)),
            `${what}: createRng(5) and createRng(6) gave identical batches; use the rng argument (or pass { deterministic: true } if the order is fixed by design).`,
          );
        }
      },
    },
    {
      name: 'accepts labels as number[], Int32Array and int32 tensor alike',
      run() {
        const sampler = make();
        const reference = epoch(sampler, 7);
        check(
          sameBatches(reference, epoch(sampler, 7, Int32Array.from(labels))),
          `${what}: Int32Array labels gave other batches than number[] labels.`,
        );
        const t = tf.tensor1d(labels as number[], 'int32');
        try {
          check(sameBatches(reference, epoch(sampler, 7, t)), `${what}: tensor labels gave other batches than number[] labels.`);
        } finally {
          t.dispose();
        }
      },
    },
    {
      name: 'covers every row in each epoch',
      skip: opts.coversEpoch ? undefined : 'the sampler does not promise to cover the dataset (coversEpoch)',
      run() {
        for (const seed of [1, 2, 3]) {
          const seen = new Uint8Array(n);
          for (const batch of epoch(make(), seed)) for (const i of batch) seen[i] = 1;
          const missing = seen.indexOf(0);
          if (missing >= 0) {
            const count = seen.reduce((s, v) => s + (v ? 0 : 1), 0);
            fail(
              `${what}: with createRng(${seed}) the epoch never uses row ${missing} (${count} of ${n} rows unused), though it promises to cover the dataset.`,
            );
          }
        }
      },
    },
    {
      name: 'leaks no tensors',
      run: () => {
        const sampler = make();
        return checkNoLeaks(`${what}: epoch()`, () => epoch(sampler, 1), opts.leakCalls ?? 20);
      },
    },
  ];
}

/**
 * Runs the sampler checks on each backend and returns what failed (empty when the sampler
 * conforms). Use it to test a checker, or outside vitest.
 */
export function checkSampler(entry: AnyRegistryEntry, opts: DescribeSamplerOptions = {}): Promise<Finding[]> {
  return runChecks(() => samplerChecks(entry, opts), opts.backends);
}

/**
 * The conformance suite every batch sampler (built-in or plugin) passes, run with vitest:
 * creation through a registry with its option schema (unknown and bad options rejected with
 * an `EmbError`), batches of the promised size (and classes per batch) with row indices in
 * range, seeded determinism (same seed same batches, another seed other batches), the same
 * batches for every labels form, coverage of the dataset when promised, and no tensor leaks.
 *
 * @example
 * // my-sampler.test.ts
 * describeSampler(mySamplerEntry, { options: { m: 4, batchSize: 16 }, classesPerBatch: 4, coversEpoch: true });
 */
export function describeSampler(entry: AnyRegistryEntry, opts: DescribeSamplerOptions = {}): void {
  describeChecks(
    (backend) => `sampler '${entry.name}' conforms to the emb contract on ${backend}`,
    () => samplerChecks(entry, opts),
    opts.backends,
  );
}
