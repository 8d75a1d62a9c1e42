import { createRegistry, createRng, initBackend, type Loss } from '@emb/core';
import { finiteDifferences } from '@emb/testkit';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { lossesPlugin, meanReducer } from './index.js';

// Property tests (issue 10) over every loss, on random batches drawn by fast-check (fixed
// seed: a failure reproduces; fast-check prints the counterexample and its seed).
const D = 4;
const CLASSES = 3;
const CLASS_LOSSES = ['proxy-anchor', 'arc-face'];
const ORDER_DEPENDENT = ['n-pairs']; // pairs consecutive rows of a class, as PML does
const ALL = lossesPlugin.entries.filter((e) => e.kind === 'loss').map((e) => e.name);
// Gradient tolerances as in the conformance suite (losses.conformance.test.ts).
const GRADIENT_TOLERANCE: Record<string, number> = { 'arc-face': 5e-2, circle: Number.POSITIVE_INFINITY };
const FD_STEP: Record<string, number> = { 'fast-ap': 1e-3 };
const RUNS = 12;
const SEED = 20261129;

const registry = createRegistry();
registry.use(lossesPlugin);
const base = (name: string) => (CLASS_LOSSES.includes(name) ? { numClasses: CLASSES, embeddingSize: D } : {});
const losses = new Map<string, { plain: Loss; smooth: Loss }>();

interface Batch {
  readonly rows: number[][];
  readonly labels: number[];
}
/** A batch of 4-9 rows of D values in [-2, 2] with every class present at least twice where possible. */
const batch: fc.Arbitrary<Batch> = fc.record({ seed: fc.integer(), n: fc.integer({ min: 4, max: 9 }) }).map(({ seed, n }) => {
  const rng = createRng(seed);
  const rows = Array.from({ length: n }, () => Array.from({ length: D }, () => rng.next() * 4 - 2));
  const labels = Array.from({ length: n }, (_, i) => i % CLASSES);
  rng.shuffle(labels);
  return { rows, labels };
});
const permutation = (n: number, seed: number) => createRng(seed).shuffle(Array.from({ length: n }, (_, i) => i));

const value = (loss: Loss, rows: number[][], labels: number[]) =>
  tf.tidy(() => loss.compute({ embeddings: tf.tensor2d(rows, [rows.length, D]), labels }).dataSync()[0] as number);
const close = (a: number, b: number, tol = 1e-4) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
const options = { seed: SEED, numRuns: RUNS, endOnFailure: true };

describe('loss properties on wasm', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
    for (const name of ALL) {
      losses.set(name, {
        plain: registry.create('loss', name, base(name)) as Loss,
        // The mean reducer keeps the loss differentiable where avg-non-zero's count jumps.
        smooth: registry.create('loss', name, { ...base(name), reducer: meanReducer() }) as Loss,
      });
    }
  });

  describe.each(ALL)('%s', (name) => {
    it.skipIf(ORDER_DEPENDENT.includes(name))(`${name} does not change when the batch is permuted`, () => {
      const loss = losses.get(name)?.plain as Loss;
      fc.assert(
        fc.property(batch, fc.integer(), ({ rows, labels }, s) => {
          const p = permutation(rows.length, s);
          const a = value(loss, rows, labels);
          const b = value(
            loss,
            p.map((i) => rows[i] as number[]),
            p.map((i) => labels[i] as number),
          );
          expect(close(a, b), `${a} vs ${b} after permutation ${p}`).toBe(true);
        }),
        options,
      );
    });

    it.skipIf(CLASS_LOSSES.includes(name))(`${name} does not change when the classes are renamed`, () => {
      const loss = losses.get(name)?.plain as Loss;
      fc.assert(
        fc.property(
          batch,
          fc.integer({ min: -1000, max: 1000 }),
          fc.integer({ min: 1, max: 97 }),
          ({ rows, labels }, shift, stride) => {
            // An injective renaming: negative and large ids included.
            const renamed = labels.map((l) => l * stride + shift);
            expect(close(value(loss, rows, labels), value(loss, rows, renamed))).toBe(true);
          },
        ),
        options,
      );
    });

    it(`${name} does not change when the embeddings are scaled, if its distance normalises them`, () => {
      const loss = losses.get(name)?.plain as Loss;
      const distance = loss.options.distance as { normalizeEmbeddings?: boolean } | undefined;
      // ArcFace normalises inside (cosine to its class centres) whatever its option says.
      const normalises = name === 'arc-face' || distance?.normalizeEmbeddings === true;
      fc.assert(
        // Powers of two: scaling is exact in float32, so normalised inputs are bit-identical.
        fc.property(batch, fc.constantFrom(0.125, 0.5, 2, 8, 64), ({ rows, labels }, c) => {
          const a = value(loss, rows, labels);
          const b = value(
            loss,
            rows.map((r) => r.map((x) => x * c)),
            labels,
          );
          if (normalises) expect(close(a, b, 1e-5), `${a} vs ${b} at scale ${c}`).toBe(true);
          else expect(Number.isFinite(b)).toBe(true);
        }),
        options,
      );
    });

    it(`${name} has gradients that match central finite differences`, () => {
      const loss = losses.get(name)?.smooth as Loss;
      const tolerance = GRADIENT_TOLERANCE[name] ?? 3e-2;
      fc.assert(
        fc.property(batch, fc.nat(), ({ rows, labels }, k) => {
          const x = tf.tensor2d(rows, [rows.length, D]);
          try {
            const f = (e: tf.Tensor2D) => loss.compute({ embeddings: e, labels });
            const g = tf.tidy(() =>
              Array.from(
                tf
                  .grad((e: tf.Tensor) => f(e as tf.Tensor2D))(x)
                  .dataSync(),
              ),
            );
            expect(g.every(Number.isFinite)).toBe(true);
            const coords = [0, 1, 2].map((j) => [(k + j * 5) % rows.length, (k + j) % D] as const);
            const fd = finiteDifferences(f, x, coords, FD_STEP[name]);
            const scale = Math.max(1e-3, ...g.map(Math.abs));
            coords.forEach(([i, j], c) => {
              const analytic = g[i * D + j] as number;
              // Near a kink (a hinge, a max, FastAP's histogram bin edges) a wide step straddles
              // it: then the quotient must approach the gradient as the step shrinks.
              const ok = (q: number) => Math.abs(q - analytic) <= tolerance * scale;
              if (!ok(fd[c] as number) && tolerance !== Number.POSITIVE_INFINITY) {
                const h = FD_STEP[name] ?? 1e-2;
                const steps = [h / 10, h / 30, h / 100].filter((s) => s >= 2e-5);
                const quotients = steps.map((s) => finiteDifferences(f, x, [[i, j]], s)[0] as number);
                expect(
                  quotients.some(ok),
                  `d/dx[${i}][${j}] = ${analytic}, finite differences ${fd[c]} (step ${h}), then ${quotients} (steps ${steps})`,
                ).toBe(true);
              }
            });
          } finally {
            x.dispose();
          }
        }),
        { ...options, numRuns: 8 },
      );
    });

    it(`${name} stays finite, with finite gradients, at coincident embeddings`, () => {
      const loss = losses.get(name)?.plain as Loss;
      fc.assert(
        fc.property(batch, fc.boolean(), ({ rows, labels }, allSame) => {
          // Either every row equal, or each row duplicated (pairs at distance exactly 0).
          const same = allSame ? rows.map(() => rows[0] as number[]) : rows.map((_, i) => rows[i - (i % 2)] as number[]);
          const x = tf.tensor2d(same, [same.length, D]);
          try {
            const f = (e: tf.Tensor) => loss.compute({ embeddings: e as tf.Tensor2D, labels });
            const v = tf.tidy(() => f(x).dataSync()[0] as number);
            const g = tf.tidy(() => Array.from(tf.grad(f)(x).dataSync()));
            expect(Number.isFinite(v), `loss ${v}`).toBe(true);
            expect(g.every(Number.isFinite), `gradient ${g}`).toBe(true);
          } finally {
            x.dispose();
          }
        }),
        options,
      );
    });
  });
});
