import { createRng, initBackend } from '@emb/core';
import { cosineSimilarity } from '@emb/distance';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { avgNonZeroReducer, meanReducer, sumReducer, thresholdReducer, tripletMarginLoss } from './index.js';

function randomBatch(seed: number, n: number, d: number, classes: number) {
  const rng = createRng(seed);
  return {
    rows: Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal())),
    labels: Array.from({ length: n }, () => rng.int(classes)),
  };
}

/** The loss written as the definition reads: plain float64 loops over every triplet. */
function bruteForce(rows: number[][], labels: number[], margin: number, reduce: 'avg-non-zero' | 'mean' | 'sum', cosine = false) {
  const norm = rows.map((r) => {
    const n = Math.max(Math.hypot(...r), 1e-12);
    return r.map((x) => x / n);
  });
  const dist = (i: number, j: number) => {
    const a = norm[i] as number[];
    const b = norm[j] as number[];
    if (cosine) return a.reduce((s, x, k) => s + x * (b[k] as number), 0);
    return Math.sqrt(a.reduce((s, x, k) => s + (x - (b[k] as number)) ** 2, 0));
  };
  const terms: number[] = [];
  for (let a = 0; a < rows.length; a++)
    for (let p = 0; p < rows.length; p++)
      for (let n = 0; n < rows.length; n++) {
        if (p === a || labels[p] !== labels[a] || labels[n] === labels[a]) continue;
        const v = cosine ? dist(a, n) - dist(a, p) + margin : dist(a, p) - dist(a, n) + margin;
        terms.push(Math.max(0, v));
      }
  const sum = terms.reduce((s, x) => s + x, 0);
  if (reduce === 'sum') return sum;
  if (reduce === 'mean') return terms.length ? sum / terms.length : 0;
  const pos = terms.filter((x) => x > 0);
  return pos.length ? sum / pos.length : 0;
}

describe.each(['wasm', 'cpu'] as const)('tripletMarginLoss on %s', (backend) => {
  beforeAll(async () => {
    if (backend === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
    await initBackend({ backend, quiet: true });
  });

  it.each([
    ['avg-non-zero', undefined],
    ['mean', meanReducer()],
    ['sum', sumReducer()],
  ] as const)('equals a brute-force loop over all triplets with the %s reducer', (name, reducer) => {
    const { rows, labels } = randomBatch(11, 24, 5, 4);
    for (const margin of [0.05, 0.3, 1.5]) {
      const loss = tripletMarginLoss({ margin, ...(reducer && { reducer }) });
      const got = tf.tidy(() => loss.compute({ embeddings: tf.tensor2d(rows), labels }).dataSync()[0] as number);
      const want = bruteForce(rows, labels, margin, name);
      expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-4 * Math.max(1e-3, Math.abs(want)));
    }
  });

  it('equals a brute-force loop with cosine similarity (an inverted distance)', () => {
    const { rows, labels } = randomBatch(12, 20, 4, 3);
    const loss = tripletMarginLoss({ margin: 0.2, distance: cosineSimilarity() });
    const got = tf.tidy(() => loss.compute({ embeddings: tf.tensor2d(rows), labels }).dataSync()[0] as number);
    const want = bruteForce(rows, labels, 0.2, 'avg-non-zero', true);
    expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-4 * Math.max(1e-3, Math.abs(want)));
  });

  it('gives the same value and gradient on the fast all-triplets path as on the explicit triplet list', () => {
    const { rows, labels } = randomBatch(13, 16, 6, 3);
    const loss = tripletMarginLoss({ margin: 0.4 });
    const triplets = loss.terms({ embeddings: tf.tensor2d(rows), labels }).loss!;
    const [anchors, positives, negatives] = triplets.indices as Int32Array[];
    const indices = { kind: 'triplets' as const, anchors: anchors!, positives: positives!, negatives: negatives! };
    const x = tf.tensor2d(rows);
    const fast = tf.grad((e: tf.Tensor) => loss.compute({ embeddings: e as tf.Tensor2D, labels }))(x);
    const list = tf.grad((e: tf.Tensor) => loss.compute({ embeddings: e as tf.Tensor2D, labels, indices }))(x);
    const maxAbs = Math.max(...Array.from(list.dataSync()).map(Math.abs));
    expect(tf.max(tf.abs(tf.sub(fast, list))).dataSync()[0]).toBeLessThanOrEqual(1e-5 * Math.max(maxAbs, 1e-3));
    tf.dispose([x, fast, list, triplets.losses]);
  });

  it.each([0, 1, 0.5])(
    'matches the explicit triplet list when many distances tie exactly (integer embeddings, margin %s)',
    (margin) => {
      // Coordinates in {0, 1, 2}: distances are square roots of small integers, so d_an equals
      // d_ap + margin for many triplets (a zero term, which must count as inactive on both paths).
      const rng = createRng(7);
      const rows = Array.from({ length: 24 }, () => Array.from({ length: 3 }, () => rng.int(3)));
      const labels = Array.from({ length: 24 }, () => rng.int(4));
      const loss = tripletMarginLoss({ margin, reducer: meanReducer() });
      const triplets = loss.terms({ embeddings: tf.tensor2d(rows), labels }).loss!;
      const [anchors, positives, negatives] = triplets.indices as Int32Array[];
      const indices = { kind: 'triplets' as const, anchors: anchors!, positives: positives!, negatives: negatives! };
      const x = tf.tensor2d(rows);
      const value = (extra: object) => loss.compute({ embeddings: x, labels, ...extra }).dataSync()[0] as number;
      expect(value({})).toBeCloseTo(value({ indices }), 5);
      const fast = tf.grad((e: tf.Tensor) => loss.compute({ embeddings: e as tf.Tensor2D, labels }))(x);
      const list = tf.grad((e: tf.Tensor) => loss.compute({ embeddings: e as tf.Tensor2D, labels, indices }))(x);
      expect(tf.max(tf.abs(tf.sub(fast, list))).dataSync()[0]).toBeLessThanOrEqual(1e-5);
      tf.dispose([x, fast, list, triplets.losses]);
    },
  );

  it('reduces an explicit triplet list (duplicates counted) to the same value and gradient as its terms', () => {
    const { rows, labels } = randomBatch(15, 16, 6, 3);
    const loss = tripletMarginLoss({ margin: 0.3 });
    const all = loss.terms({ embeddings: tf.tensor2d(rows), labels }).loss!;
    const [a, p, n] = all.indices as Int32Array[];
    // Every third triplet, plus the first one twice.
    const pick = (x: Int32Array) => Int32Array.from([x[0]!, ...Array.from(x).filter((_, i) => i % 3 === 0)]);
    const indices = { kind: 'triplets' as const, anchors: pick(a!), positives: pick(p!), negatives: pick(n!) };
    const x = tf.tensor2d(rows);
    const viaTerms = (e: tf.Tensor) => {
      const t = loss.terms({ embeddings: e as tf.Tensor2D, labels, indices }).loss!;
      return avgNonZeroReducer().reduce(t, e as tf.Tensor2D);
    };
    const fast = (e: tf.Tensor) => loss.compute({ embeddings: e as tf.Tensor2D, labels, indices });
    expect(fast(x).dataSync()[0]).toBeCloseTo(viaTerms(x).dataSync()[0]!, 5);
    const g1 = tf.grad(fast)(x);
    const g2 = tf.grad(viaTerms)(x);
    expect(tf.max(tf.abs(tf.sub(g1, g2))).dataSync()[0]).toBeLessThan(1e-5);
    tf.dispose([x, g1, g2, all.losses]);
  });

  it('ignores triplets that already satisfy the margin', () => {
    // Two tight, far-apart classes: every triplet satisfies a small margin.
    const rows = [
      [1, 0],
      [1, 0.01],
      [-1, 0],
      [-1, 0.01],
    ];
    const loss = tripletMarginLoss({ margin: 0.1 });
    expect(tf.tidy(() => loss.compute({ embeddings: tf.tensor2d(rows), labels: [0, 0, 1, 1] }).dataSync()[0])).toBe(0);
  });

  it('uses the threshold reducer through the chunked path', () => {
    const { rows, labels } = randomBatch(14, 16, 4, 3);
    const loss = tripletMarginLoss({ margin: 0.5, reducer: thresholdReducer({ low: 0.1, high: 0.6 }) });
    const terms = loss.terms({ embeddings: tf.tensor2d(rows), labels }).loss!;
    const values = Array.from(terms.losses.dataSync()).filter((x) => x > 0.1 && x < 0.6);
    const want = values.reduce((s, x) => s + x, 0) / values.length;
    const got = tf.tidy(() => loss.compute({ embeddings: tf.tensor2d(rows), labels }).dataSync()[0] as number);
    expect(got).toBeCloseTo(want, 5);
    terms.losses.dispose();
  });
});

describe('tripletMarginLoss memory', () => {
  beforeAll(async () => {
    await initBackend({ quiet: true });
  });

  it('handles all triplets of a 1024 x 128 batch without a B x B x B allocation', async () => {
    const b = 1024;
    const x = tf.randomNormal([b, 128], 0, 1, 'float32', 3) as tf.Tensor2D;
    const labels = Int32Array.from({ length: b }, (_, i) => i % 32);
    const loss = tripletMarginLoss({ margin: 0.2 });
    const profile = await tf.profile(() => {
      const g = tf.grad((e: tf.Tensor) => loss.compute({ embeddings: e as tf.Tensor2D, labels }))(x);
      g.dataSync();
      g.dispose();
    });
    // 1024 x 31 x 992 = 31.5M triplets; one float per triplet alone would be 126 MB.
    const bxbxb = b * b * b * 4;
    console.log(
      `all-triplets ${b} x 128: peak tensor bytes ${(profile.peakBytes / 2 ** 20).toFixed(1)} MiB (B x B x B floats: ${(bxbxb / 2 ** 30).toFixed(1)} GiB)`,
    );
    // O(B x R): a few dozen B x B float matrices (distance, masks, the backward pass), 4 MiB each.
    expect(profile.peakBytes).toBeLessThan(64 * b * b * 4);
    x.dispose();
  });
});
