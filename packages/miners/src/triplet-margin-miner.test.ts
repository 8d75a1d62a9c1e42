import { createRng, initBackend, type TripletIndices } from '@emb/core';
import { cosineSimilarity, lpDistance } from '@emb/distance';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeMinerStats, tripletMarginMiner } from './index.js';

type Type = 'all' | 'hard' | 'semihard' | 'easy';

function randomBatch(seed: number, rows: number, dim: number, classes: number) {
  const rng = createRng(seed);
  const values = Float32Array.from({ length: rows * dim }, () => rng.normal());
  const labels = Int32Array.from({ length: rows }, () => rng.int(classes));
  return { values, labels };
}

/** Every (a, p, n) by brute force over the matrix, in PML's order. */
function bruteForce(
  m: number[][],
  labels: Int32Array,
  refLabels: Int32Array,
  isSelf: boolean,
  inverted: boolean,
  type: Type,
  margin: number,
): number[][] {
  const out: number[][] = [[], [], []];
  m.forEach((row, a) => {
    row.forEach((vap, p) => {
      if (refLabels[p] !== labels[a] || (isSelf && p === a)) return;
      row.forEach((van, n) => {
        if (refLabels[n] === labels[a]) return;
        const f = inverted ? vap - van : van - vap;
        const keep =
          type === 'easy'
            ? f > margin
            : type === 'all'
              ? f <= margin
              : type === 'hard'
                ? f <= margin && f <= 0
                : f <= margin && f > 0;
        if (keep) {
          out[0]?.push(a);
          out[1]?.push(p);
          out[2]?.push(n);
        }
      });
    });
  });
  return out;
}

const asArrays = (t: TripletIndices) => [Array.from(t.anchors), Array.from(t.positives), Array.from(t.negatives)];

describe('tripletMarginMiner', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });

  // Few classes put many positives per anchor (sort + binary search path), many classes few
  // (scan path); both must give exactly the brute-force triplets in PML's order.
  describe.each([
    ['few positives (scan)', 40, 12],
    ['many positives (sort and binary search)', 48, 2],
  ] as const)('with %s', (_what, rows, classes) => {
    it.each(
      (['all', 'hard', 'semihard', 'easy'] as const).flatMap((type) =>
        (['lp', 'cosine'] as const).flatMap((metric) => (['self', 'ref'] as const).map((ref) => [type, metric, ref] as const)),
      ),
    )('selects exactly the %s triplets (%s, %s) that brute force does', (type, metric, ref) => {
      const dim = 6;
      const { values, labels } = randomBatch(rows + classes, rows, dim, classes);
      const refBatch = randomBatch(rows * 7 + classes, rows + 5, dim, classes);
      const distance = metric === 'lp' ? lpDistance() : cosineSimilarity();
      const margin = metric === 'lp' ? 0.2 : 0.15;
      const embeddings = tf.tensor2d(values, [rows, dim]);
      const refEmbeddings = ref === 'ref' ? tf.tensor2d(refBatch.values, [rows + 5, dim]) : undefined;
      const refLabels = ref === 'ref' ? refBatch.labels : labels;
      const miner = tripletMarginMiner({ margin, typeOfTriplets: type, distance });
      const out = miner.mine({ embeddings, labels, ...(refEmbeddings ? { refEmbeddings, refLabels } : {}) });
      const matrix = tf.tidy(() => distance.pairwise(embeddings, refEmbeddings).arraySync());
      const expected = bruteForce(matrix, labels, refLabels, ref === 'self', metric === 'cosine', type, margin);
      expect(out.kind).toBe('triplets');
      expect(asArrays(out as TripletIndices)).toEqual(expected);
      expect(out.stats.numTriplets).toBe(expected[0]?.length);
      // Statistics totalled during selection agree with the ones computed from the tuple.
      const recomputed = computeMinerStats(out, Float32Array.from(matrix.flat()), matrix[0]?.length ?? 0);
      for (const key of ['meanPositiveDistance', 'meanNegativeDistance'] as const) {
        if (Number.isNaN(recomputed[key])) expect(out.stats[key]).toBeNaN();
        else expect(out.stats[key]).toBeCloseTo(recomputed[key], 9);
      }
      tf.dispose([embeddings, ...(refEmbeddings ? [refEmbeddings] : [])]);
    });
  });

  it('adds no fallback by default: a positive with no semi-hard negative yields nothing', () => {
    // Anchor 0 and positive 1 are close; the negative 2 is far beyond the margin.
    const embeddings = tf.tensor2d([
      [1, 0],
      [0.99, 0.1],
      [-1, 0],
    ]);
    const out = tripletMarginMiner({ typeOfTriplets: 'semihard' }).mine({ embeddings, labels: [0, 0, 1] });
    expect(out.stats.numTriplets).toBe(0);
    embeddings.dispose();
  });

  it("falls back to the closest negative with semihardFallback 'hardest' (FaceNet)", () => {
    // Negatives of anchor 0: 2 is closer than the positive (hard), 3 is far (easy); none is semi-hard.
    const embeddings = tf.tensor2d([
      [1, 0],
      [0, 1],
      [0.95, 0.3],
      [-1, 0],
    ]);
    const labels = [0, 0, 1, 1];
    const plain = tripletMarginMiner({ typeOfTriplets: 'semihard' }).mine({ embeddings, labels }) as TripletIndices;
    const fallback = tripletMarginMiner({ typeOfTriplets: 'semihard', semihardFallback: 'hardest' }).mine({
      embeddings,
      labels,
    }) as TripletIndices;
    // Only anchors 0 and 1 (label 0) lack a semi-hard negative.
    const ofAnchors01 = (t: TripletIndices) => asArrays(t).map((col) => col.filter((_, i) => (t.anchors[i] as number) < 2));
    expect(ofAnchors01(plain)).toEqual([[], [], []]);
    expect(ofAnchors01(fallback)).toEqual([
      [0, 1],
      [1, 0],
      [2, 2],
    ]);
    embeddings.dispose();
  });

  it("falls back like TF-Addons with semihardFallback 'tf-addons': nearest farther negative, else the farthest one", () => {
    const embeddings = tf.tensor2d([
      [1, 0],
      [0.8, 0.6],
      [0.9, 0.43],
      [-1, 0],
      [0.9, -0.43],
    ]);
    // d(0,1) = 0.63; negatives of 0: d(0,2) ~ 0.44, d(0,4) ~ 0.44 (both hard), d(0,3) = 2 (beyond margin).
    const labels = [0, 0, 1, 1, 1];
    const out = tripletMarginMiner({ typeOfTriplets: 'semihard', semihardFallback: 'tf-addons' }).mine({
      embeddings,
      labels,
    }) as TripletIndices;
    // (0, 1): a negative farther than the positive exists (3), so TF-Addons takes the nearest such.
    expect(asArrays(out)[2]?.[0]).toBe(3);
    embeddings.dispose();
  });

  it('mines semi-hard triplets on a 4096 x 128 batch without a B x B x B allocation', () => {
    const rows = 4096;
    const dim = 128;
    const embeddings = tf.tidy(() => tf.randomNormal([rows, dim], 0, 1, 'float32', 3) as tf.Tensor2D);
    // 2048 classes of 2: one positive per anchor.
    const labels = Int32Array.from({ length: rows }, (_, i) => i >> 1);
    const before = tf.memory().numTensors;
    const miner = tripletMarginMiner({ margin: 0.2, typeOfTriplets: 'semihard' });
    let count = 0;
    const info = tf.profile(() => {
      count = miner.mine({ embeddings, labels }).stats.numTriplets;
    });
    return info.then((p) => {
      const bxbx4 = rows * rows * 4;
      console.log(
        `semi-hard mining at B = ${rows}, D = ${dim}: ${count} triplets, peak tensor bytes ${p.peakBytes} (${(p.peakBytes / bxbx4).toFixed(2)} x B*B*4; B^3*4 would be ${(rows ** 3 * 4) / 2 ** 30} GiB)`,
      );
      expect(count).toBeGreaterThan(0);
      // A bounded number of [B, B] float32 matrices (the distance's intermediates); a B x B x B
      // tensor alone would be B = 4096 times one of them.
      expect(p.peakBytes).toBeLessThan(32 * bxbx4);
      expect(tf.memory().numTensors).toBe(before);
      embeddings.dispose();
    });
  });
});
