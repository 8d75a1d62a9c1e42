import { createRng, EmbError, quote, type VectorsLike } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import { createReferenceBlocks, searchBlocks } from './tiled-knn.js';
import { toVectorRows } from './to-vector-rows.js';

/** Options of {@link kMeans}. */
export interface KMeansOptions {
  /** Number of clusters (required, 1 <= k <= number of points). */
  readonly k: number;
  /** Vector dimension; needed only when `data` is a flat `Float32Array`. */
  readonly dim?: number;
  /** Lloyd iterations. Default 20 (faiss's default in PML's `FaissKMeans`). */
  readonly niter?: number;
  /** Seed of the k-means++ initialisation and empty-cluster splits. Default 0. */
  readonly seed?: number | string;
}

/** A k-means clustering. */
export interface KMeansResult {
  readonly k: number;
  readonly dim: number;
  /** `k * dim` centroid coordinates, row-major. */
  readonly centroids: Float32Array;
  /** Cluster of each point (nearest final centroid). */
  readonly assignments: Int32Array;
  /** Sum of squared distances of the points to their centroid. */
  readonly inertia: number;
}

/**
 * Seeded k-means (squared L2): k-means++ initialisation, then `niter` Lloyd iterations with
 * faiss's empty-cluster rule (split a large cluster in two); the assignment step runs on
 * the tfjs backend as a tiled exact search. The same seed gives the same clusters.
 *
 * @example
 * const { assignments } = await kMeans(embeddings, { k: 10, seed: 1 });
 */
export async function kMeans(data: VectorsLike, options: KMeansOptions): Promise<KMeansResult> {
  const { k } = options;
  const niter = options.niter ?? 20;
  let dim = options.dim;
  if (dim === undefined) {
    if (data instanceof Float32Array)
      throw new EmbError('INVALID_OPTION', 'kMeans: pass { dim } with a flat Float32Array.', { option: 'dim' });
    const first = Array.isArray(data) ? data[0] : undefined;
    dim = Array.isArray(data) ? (first?.length ?? 0) : ((data as { shape: number[] }).shape[1] ?? 0);
  }
  if (!Number.isInteger(dim) || (dim as number) < 1)
    throw new EmbError('INVALID_ARGUMENT', `kMeans: cannot tell the dimension of ${quote(data)}.`);
  const d = dim as number;
  const { data: x, count: n } = toVectorRows(data, d, 'data');
  if (!Number.isInteger(k) || k < 1 || k > n) {
    throw new EmbError('INVALID_OPTION', `kMeans: k must be an integer in [1, ${n}] (the number of points), got ${quote(k)}.`, {
      option: 'k',
      value: k,
    });
  }
  if (!Number.isInteger(niter) || niter < 0) {
    throw new EmbError('INVALID_OPTION', `kMeans: niter must be a non-negative integer, got ${quote(niter)}.`, {
      option: 'niter',
      value: niter,
    });
  }
  await tf.ready();
  const rng = createRng(options.seed ?? 0);
  const centroids = new Float32Array(k * d);

  // k-means++: each next centre is drawn with probability proportional to D(x)^2.
  const minD2 = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  let pick = rng.int(n);
  for (let c = 0; c < k; c++) {
    centroids.set(x.subarray(pick * d, (pick + 1) * d), c * d);
    let total = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const diff = (x[i * d + j] as number) - (centroids[c * d + j] as number);
        s += diff * diff;
      }
      if (s < (minD2[i] as number)) minD2[i] = s;
      total += minD2[i] as number;
    }
    if (c + 1 === k) break;
    if (total > 0) {
      let target = rng.next() * total;
      pick = n - 1;
      for (let i = 0; i < n; i++) {
        target -= minD2[i] as number;
        if (target < 0) {
          pick = i;
          break;
        }
      }
    } else {
      pick = rng.int(n);
    }
  }

  const assign = (): Int32Array => {
    const blocks = createReferenceBlocks(centroids, k, d, 'l2');
    try {
      return searchBlocks(blocks, x, n, d, 1, 'l2').indices;
    } finally {
      for (const b of blocks) b.tensor.dispose();
    }
  };

  let assignments = assign();
  for (let iter = 0; iter < niter; iter++) {
    const sums = new Float64Array(k * d);
    const sizes = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const c = assignments[i] as number;
      sizes[c] = (sizes[c] as number) + 1;
      for (let j = 0; j < d; j++) sums[c * d + j] = (sums[c * d + j] as number) + (x[i * d + j] as number);
    }
    for (let c = 0; c < k; c++) {
      if (sizes[c] === 0) continue;
      for (let j = 0; j < d; j++) centroids[c * d + j] = (sums[c * d + j] as number) / (sizes[c] as number);
    }
    // faiss: an empty cluster takes half of a cluster chosen with probability ~ its size.
    const EPS = 1 / 1024;
    for (let ci = 0; ci < k; ci++) {
      if (sizes[ci] !== 0) continue;
      let cj = 0;
      for (let guard = 0; ; cj = (cj + 1) % k, guard++) {
        const p = ((sizes[cj] as number) - 1) / (n - k);
        if (rng.next() < p || guard > 100 * k) break;
      }
      for (let j = 0; j < d; j++) {
        const v = centroids[cj * d + j] as number;
        centroids[ci * d + j] = v * (j % 2 === 0 ? 1 + EPS : 1 - EPS);
        centroids[cj * d + j] = v * (j % 2 === 0 ? 1 - EPS : 1 + EPS);
      }
      sizes[ci] = Math.floor((sizes[cj] as number) / 2);
      sizes[cj] = (sizes[cj] as number) - (sizes[ci] as number);
    }
    assignments = assign();
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const c = assignments[i] as number;
    for (let j = 0; j < d; j++) {
      const diff = (x[i * d + j] as number) - (centroids[c * d + j] as number);
      inertia += diff * diff;
    }
  }
  return Object.freeze({ k, dim: d, centroids, assignments, inertia });
}
