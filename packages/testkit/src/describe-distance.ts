import { type AnyRegistryEntry, type Distance, isEmbError, quote } from '@emb/core';
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
import { finiteDifferences } from './finite-differences.js';
import { checkNoLeaks } from './internal/leaks.js';
import { at2d, firstNonFinite, randomBatch } from './internal/random-data.js';
import { assertKind, createThroughRegistry, registryChecks } from './internal/registry-checks.js';

/** Options of {@link describeDistance} and {@link checkDistance}. */
export interface DescribeDistanceOptions extends SuiteOptions {
  /** Options passed to `create` through the registry. Default `{}`. */
  readonly options?: Record<string, unknown>;
  /** Rows of the query and reference batches and their dimension. Default 6, 7, 5. */
  readonly batch?: { readonly queries: number; readonly refs: number; readonly dim: number };
  /** `pairwise(x)` is symmetric (true for metrics and cosine / dot; SNR is not). Default `true`. */
  readonly symmetric?: boolean;
  /** Relative tolerance of the finite-difference gradient check. Default 3e-2 (float32). */
  readonly gradientTolerance?: number;
  /** Step of the central differences. Default 1e-2. */
  readonly finiteDifferenceStep?: number;
  /** Option sets (merged into `options`) the schema must reject; the error must name the first key. */
  readonly badOptions?: readonly Record<string, unknown>[];
  /** Calls in the leak check. Default 20. */
  readonly leakCalls?: number;
}

const COORDS = 6;

/**
 * The distance checks as plain functions (each throws a `ConformanceError` saying what is
 * wrong). {@link describeDistance} wraps them in vitest tests; {@link checkDistance} runs them.
 */
export function distanceChecks(entry: AnyRegistryEntry, opts: DescribeDistanceOptions = {}): ConformanceCheck[] {
  assertKind(entry, 'distance', 'describeDistance');
  const options = opts.options ?? {};
  const { queries: nq, refs: nr, dim } = opts.batch ?? { queries: 6, refs: 7, dim: 5 };
  const what = `distance '${entry.name}'`;
  const make = () => createThroughRegistry<'distance'>(entry, options) as Distance;
  const q = () => randomBatch(1, nq, dim, 1).rows;
  const r = () => randomBatch(2, nr, dim, 1).rows;
  /** Runs `body` with fresh query and reference tensors, disposed afterwards. */
  const withTensors = async (body: (d: Distance, query: tf.Tensor2D, ref: tf.Tensor2D) => void | Promise<void>) => {
    const query = tf.tensor2d(q());
    const ref = tf.tensor2d(r());
    try {
      await body(make(), query, ref);
    } finally {
      tf.dispose([query, ref]);
    }
  };
  const read = (t: tf.Tensor) => {
    const values = Array.from(t.dataSync());
    t.dispose();
    return values;
  };

  /** Checks analytic against finite-difference gradients of `f` at a few coordinates of `x`. */
  const gradientCheck = (label: string, f: (x: tf.Tensor2D) => tf.Scalar, x: tf.Tensor2D) => {
    const grad = tf.grad((e: tf.Tensor) => f(e as tf.Tensor2D))(x);
    const g = read(grad);
    const [rows, cols] = x.shape;
    const bad = firstNonFinite(g);
    check(bad === null, () => `${what}: the gradient of ${label} is ${bad?.[1]} at index ${at2d(bad?.[0] ?? 0, cols)}.`);
    const coords = Array.from({ length: COORDS }, (_, k) => [(k * 5) % rows, (k * 3) % cols] as const);
    const fd = finiteDifferences(f, x, coords, opts.finiteDifferenceStep);
    const scale = Math.max(1e-3, ...g.map(Math.abs));
    coords.forEach(([i, j], k) => {
      const analytic = g[i * cols + j] as number;
      const numeric = fd[k] as number;
      check(
        Math.abs(analytic - numeric) <= (opts.gradientTolerance ?? 3e-2) * scale,
        `${what}: d ${label} / d x[${i}][${j}] is ${analytic}, but central finite differences give ${numeric}.`,
      );
    });
  };

  return [
    ...registryChecks(entry, options, opts.badOptions),
    {
      name: 'returns float32 matrices of the right shapes, and paired() is the diagonal of pairwise()',
      run: () =>
        withTensors((d, query, ref) => {
          check(typeof d.isInverted === 'boolean', `${what}: isInverted must be a boolean.`);
          const self = d.pairwise(query);
          const cross = d.pairwise(query, ref);
          for (const [label, m, shape] of [
            ['pairwise(query)', self, [nq, nq]],
            ['pairwise(query, ref)', cross, [nq, nr]],
          ] as const) {
            check(m.dtype === 'float32', `${what}: ${label} has dtype ${m.dtype}; expected float32.`);
            check(
              JSON.stringify(m.shape) === JSON.stringify(shape),
              `${what}: ${label} has shape ${JSON.stringify(m.shape)}; expected ${JSON.stringify(shape)}.`,
            );
          }
          const m = read(cross);
          read(self);
          const bad = firstNonFinite(m);
          check(
            bad === null,
            () => `${what}: pairwise(query, ref) is ${bad?.[1]} at ${at2d(bad?.[0] ?? 0, nr)} for finite inputs.`,
          );
          const refRows = tf.tidy(() => tf.slice(ref, [0, 0], [nq, dim]));
          const paired = d.paired(query, refRows);
          check(
            paired.dtype === 'float32' && paired.rank === 1 && paired.shape[0] === nq,
            `${what}: paired(query, ref) has shape ${JSON.stringify(paired.shape)} (${paired.dtype}); expected [${nq}] float32.`,
          );
          const p = read(paired);
          const diag = read(d.pairwise(query, refRows));
          p.forEach((v, i) => {
            const want = diag[i * nq + i] as number;
            check(
              Math.abs(v - want) <= 1e-4 * Math.max(1, Math.abs(want)),
              `${what}: paired()[${i}] is ${v} but pairwise()[${i}][${i}] is ${want}.`,
            );
          });
          const normalized = d.normalize(query);
          check(
            JSON.stringify(normalized.shape) === JSON.stringify(query.shape),
            `${what}: normalize() changed the shape to ${JSON.stringify(normalized.shape)}.`,
          );
          if (d.normalizeEmbeddings) {
            const norms = read(tf.tidy(() => tf.norm(normalized, 2, 1)));
            const off = norms.findIndex((v) => Math.abs(v - 1) > 1e-4);
            check(off < 0, `${what}: normalizeEmbeddings is set but normalize() row ${off} has norm ${norms[off]}.`);
          }
          if (normalized !== query) normalized.dispose();
          refRows.dispose();
        }),
    },
    {
      name: 'rejects a reference of another dimension with an EmbError',
      run: () =>
        withTensors((d, query) => {
          const wide = tf.ones([3, dim + 1]) as tf.Tensor2D;
          let error: unknown;
          try {
            tf.dispose(d.pairwise(query, wide));
          } catch (e) {
            error = e;
          } finally {
            wide.dispose();
          }
          check(
            isEmbError(error),
            `${what}: pairwise() of [${nq}, ${dim}] and [3, ${dim + 1}] must throw an EmbError (assertSameDim from @emb/core), got ${error === undefined ? 'a matrix' : String(error)}.`,
          );
        }),
    },
    {
      name: 'pairwise(x) equals pairwise(x, copy of x), and is symmetric where it should be',
      run: () =>
        withTensors((d, query) => {
          const copy = tf.clone(query);
          const a = read(d.pairwise(query));
          const b = read(d.pairwise(query, copy));
          copy.dispose();
          const scale = Math.max(1e-3, ...a.map(Math.abs));
          a.forEach((v, k) => {
            check(
              Math.abs(v - (b[k] as number)) <= 1e-4 * scale,
              `${what}: pairwise(x)${at2d(k, nq)} is ${v} but pairwise(x, copy of x) gives ${b[k]}.`,
            );
          });
          if (opts.symmetric === false) return;
          for (let i = 0; i < nq; i++) {
            for (let j = i + 1; j < nq; j++) {
              const x = a[i * nq + j] as number;
              const y = a[j * nq + i] as number;
              check(
                Math.abs(x - y) <= 1e-4 * scale,
                `${what}: pairwise(x) is not symmetric: [${i}][${j}] = ${x} but [${j}][${i}] = ${y} (pass { symmetric: false } if that is by design).`,
              );
            }
          }
        }),
    },
    {
      name: 'isInverted, margin, smallest and largest agree on which of two points is closer',
      run: () =>
        withTensors((d, query) => {
          // For every metric, a slightly moved copy of a row is closer than its opposite.
          const near = tf.tidy(
            () => tf.add(query, tf.mul(tf.randomNormal(query.shape, 0, 1, 'float32', 3), 0.05)) as tf.Tensor2D,
          );
          const far = tf.neg(query) as tf.Tensor2D;
          const dNear = d.paired(query, near);
          const dFar = d.paired(query, far);
          const pair = tf.stack([dNear, dFar], 1);
          const n = read(dNear.clone());
          const f = read(dFar.clone());
          const closer = n.every((v, i) => (d.isInverted ? v > (f[i] as number) : v < (f[i] as number)));
          check(
            closer,
            `${what}: with isInverted ${d.isInverted}, a near copy of a row should have a ${d.isInverted ? 'larger' : 'smaller'} value than its opposite; got near ${n[0]} vs far ${f[0]}. Set isInverted true for similarities, false for distances.`,
          );
          const smallest = read(d.smallest(pair, 1));
          const largest = read(d.largest(pair, 1));
          const margin = read(d.margin(dNear, dFar));
          smallest.forEach((v, i) => {
            check(
              Math.abs(v - (n[i] as number)) <= 1e-6 * Math.max(1, Math.abs(v)),
              `${what}: smallest() picked ${v}, not the closer value ${n[i]}.`,
            );
            check(
              Math.abs((largest[i] as number) - (f[i] as number)) <= 1e-6 * Math.max(1, Math.abs(f[i] as number)),
              `${what}: largest() picked ${largest[i]}, not the farther value ${f[i]}.`,
            );
            check(
              (margin[i] as number) < 0,
              `${what}: margin(near, far) is ${margin[i]}; it must be negative when the first is closer.`,
            );
          });
          tf.dispose([near, far, dNear, dFar, pair]);
        }),
    },
    {
      name: 'has gradients that match central finite differences',
      run: () =>
        withTensors((d, query, ref) => {
          const w = tf.tensor2d(randomBatch(4, nq, nr, 1).rows);
          const wSelf = tf.tensor2d(randomBatch(5, nq, nq, 1).rows);
          try {
            gradientCheck('sum(w * pairwise(x, ref))', (x) => tf.tidy(() => tf.sum(tf.mul(d.pairwise(x, ref), w))), query);
            gradientCheck('sum(w * pairwise(query, x))', (x) => tf.tidy(() => tf.sum(tf.mul(d.pairwise(query, x), w))), ref);
            gradientCheck('sum(w * pairwise(x))', (x) => tf.tidy(() => tf.sum(tf.mul(d.pairwise(x), wSelf))), query);
          } finally {
            tf.dispose([w, wSelf]);
          }
        }),
    },
    {
      name: 'has finite gradients at coincident points',
      run: () =>
        withTensors((d, query) => {
          // Rows 0..2 are one point; pairwise(x) also compares every row with itself.
          const x = tf.tidy(
            () =>
              tf.concat([
                tf.tile(tf.slice(query, [0, 0], [1, dim]), [3, 1]),
                tf.slice(query, [3, 0], [nq - 3, dim]),
              ]) as tf.Tensor2D,
          );
          const copy = tf.clone(x);
          try {
            for (const [label, f] of [
              ['sum(pairwise(x))', (e: tf.Tensor2D) => tf.sum(d.pairwise(e))],
              ['sum(pairwise(x, copy of x))', (e: tf.Tensor2D) => tf.sum(d.pairwise(e, copy))],
              ['sum(paired(x, copy of x))', (e: tf.Tensor2D) => tf.sum(d.paired(e, copy))],
            ] as const) {
              const g = read(tf.grad((e: tf.Tensor) => f(e as tf.Tensor2D))(x));
              const bad = firstNonFinite(g);
              if (bad) {
                fail(
                  `${what}: the gradient of ${label} is ${bad[1]} at index ${at2d(bad[0], dim)} where rows coincide; use a safe sqrt (gradient 0 at 0), e.g. safeSqrt from @emb/distance.`,
                );
              }
            }
          } finally {
            tf.dispose([x, copy]);
          }
        }),
    },
    {
      name: 'leaks no tensors',
      run: () =>
        withTensors(async (d, query, ref) => {
          const refRows = tf.slice(ref, [0, 0], [nq, dim]) as tf.Tensor2D;
          try {
            await checkNoLeaks(
              `${what}: pairwise/paired and their gradients`,
              () => {
                tf.dispose([d.pairwise(query), d.pairwise(query, ref), d.paired(query, refRows)]);
                tf.dispose(tf.grad((e: tf.Tensor) => tf.sum(d.pairwise(e as tf.Tensor2D, ref)))(query));
              },
              opts.leakCalls ?? 20,
            );
          } finally {
            refRows.dispose();
          }
        }),
    },
  ];
}

/**
 * Runs the distance checks on each backend and returns what failed (empty when the distance
 * conforms). Use it to test a checker, or outside vitest.
 */
export function checkDistance(entry: AnyRegistryEntry, opts: DescribeDistanceOptions = {}): Promise<Finding[]> {
  return runChecks(() => distanceChecks(entry, opts), opts.backends);
}

/**
 * The conformance suite every distance or similarity (built-in or plugin) passes, run with
 * vitest: creation through a registry with its option schema (unknown and bad options
 * rejected with an `EmbError`), float32 [B, R] matrices, `paired` as the diagonal of
 * `pairwise`, symmetry, `isInverted` / `margin` / `smallest` / `largest` consistent with
 * which point is closer, gradients matching central finite differences, finite gradients
 * at coincident points, and no tensor leaks, on wasm and cpu.
 *
 * @example
 * // my-distance.test.ts
 * describeDistance(myDistanceEntry, { options: { normalizeEmbeddings: false } });
 */
export function describeDistance(entry: AnyRegistryEntry, opts: DescribeDistanceOptions = {}): void {
  const shown = Object.keys(opts.options ?? {}).length ? ` ${quote(opts.options, 120)}` : '';
  describeChecks(
    (backend) => `distance '${entry.name}'${shown} conforms to the emb contract on ${backend}`,
    () => distanceChecks(entry, opts),
    opts.backends,
  );
}
