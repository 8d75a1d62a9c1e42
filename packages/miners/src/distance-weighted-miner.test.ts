import { initBackend, isEmbError, type TripletIndices } from '@emb/core';
import { cosineSimilarity, lpDistance } from '@emb/distance';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { distanceWeightedMiner } from './index.js';

/** Chi-square critical value for `df` degrees of freedom at p = 0.001 (Wilson-Hilferty). */
function chiSquareCritical(df: number): number {
  const z = 3.0902; // standard normal quantile at 0.999
  const h = 2 / (9 * df);
  return df * (1 - h + z * Math.sqrt(h)) ** 3;
}

describe('distanceWeightedMiner', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });

  it('draws negatives with frequencies proportional to 1 / q(d) (chi-square, fixed seed)', () => {
    const dim = 16;
    const rows = 24;
    const embeddings = tf.randomNormal([rows, dim], 0, 1, 'float32', 11) as tf.Tensor2D;
    // Rows 0 and 1 share label 0; every other row is its own class, a negative of anchor 0.
    const labels = Int32Array.from({ length: rows }, (_, i) => (i < 2 ? 0 : i));
    const cutoff = 0.5;
    const nonzeroLossCutoff = 1.5;
    const draws = 40000;
    const miner = distanceWeightedMiner({ cutoff, nonzeroLossCutoff, tripletsPerAnchor: draws, seed: 2024 });
    const out = miner.mine({ embeddings, labels }) as TripletIndices;

    // Expected weights straight from the paper: q(d) ~ d^(n-2) (1 - d^2/4)^((n-3)/2), weight 1/q.
    const d = tf.tidy(() => lpDistance().pairwise(embeddings).arraySync())[0] as number[];
    const weight = d.map((x, j) => {
      if (labels[j] === 0) return 0;
      const c = Math.max(x, cutoff);
      if (c >= nonzeroLossCutoff) return 0;
      return 1 / (c ** (dim - 2) * (1 - (c * c) / 4) ** ((dim - 3) / 2));
    });
    const total = weight.reduce((s, w) => s + w, 0);
    const counts = new Array(rows).fill(0);
    let n = 0;
    out.anchors.forEach((a, i) => {
      if (a !== 0) return;
      counts[out.negatives[i] as number]++;
      n++;
    });
    expect(n).toBe(draws);
    let chi2 = 0;
    let bins = 0;
    weight.forEach((w, j) => {
      if (w === 0) {
        expect(counts[j]).toBe(0); // same class or beyond nonzeroLossCutoff: never drawn
        return;
      }
      const expected = (n * w) / total;
      chi2 += (counts[j] - expected) ** 2 / expected;
      bins++;
    });
    expect(bins).toBeGreaterThanOrEqual(5);
    console.log(
      `distance-weighted sampling: chi2 = ${chi2.toFixed(2)} over ${bins} bins (critical ${chiSquareCritical(bins - 1).toFixed(2)} at p = 0.001)`,
    );
    expect(chi2).toBeLessThan(chiSquareCritical(bins - 1));
    // And the weighting matters: the same counts are far from uniform.
    let chi2Uniform = 0;
    weight.forEach((w, j) => {
      if (w > 0) chi2Uniform += (counts[j] - n / bins) ** 2 / (n / bins);
    });
    expect(chi2Uniform).toBeGreaterThan(10 * chiSquareCritical(bins - 1));
    embeddings.dispose();
  });

  it('gives the same triplets for the same seed', () => {
    const embeddings = tf.randomNormal([12, 8], 0, 1, 'float32', 1) as tf.Tensor2D;
    const labels = [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3];
    const a = distanceWeightedMiner({ seed: 5, nonzeroLossCutoff: 2 }).mine({ embeddings, labels });
    const b = distanceWeightedMiner({ seed: 5, nonzeroLossCutoff: 2 }).mine({ embeddings, labels });
    expect(a).toEqual(b);
    expect(a.stats.numTriplets).toBeGreaterThan(0);
    embeddings.dispose();
  });

  it('needs normalised L2 distances, as PML', () => {
    let error: unknown;
    try {
      distanceWeightedMiner({ distance: cosineSimilarity() });
    } catch (e) {
      error = e;
    }
    expect(isEmbError(error, 'INVALID_OPTION')).toBe(true);
    expect(() => distanceWeightedMiner({ distance: lpDistance({ normalizeEmbeddings: false }) })).toThrow(/normalizeEmbeddings/);
  });
});
