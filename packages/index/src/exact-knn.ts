import type { IndexMetric } from './index-metric.js';
import { mergeTopK, SELF_BLOCK, SelfKnnPart, selfKnnTiles } from './self-knn-part.js';
import { createReferenceBlocks, searchBlocks } from './tiled-knn.js';

/**
 * Exact k-NN by squared L2 (no normalisation), as PML's accuracy calculator does with faiss
 * `IndexFlatL2`. With `refIncludesQuery`, query row `i` is reference row `i` and is never its
 * own neighbour: k + 1 are searched and the query's own index removed (the last one dropped
 * when it is not among them), exactly PML's rule.
 * @returns `n * k` reference indices, row-major, nearest first.
 * @internal
 */
export function exactKnn(
  query: Float32Array,
  nq: number,
  reference: Float32Array,
  nr: number,
  dim: number,
  k: number,
  refIncludesQuery: boolean,
  metric: IndexMetric = 'l2',
): Int32Array {
  if (k === 0 || nq === 0) return new Int32Array(0);
  if (refIncludesQuery && query === reference && metric === 'l2') return selfKnn(query, nq, dim, k);
  const kk = refIncludesQuery ? k + 1 : k;
  const blocks = createReferenceBlocks(reference, nr, dim, metric);
  let found: Int32Array;
  try {
    found = searchBlocks(blocks, query, nq, dim, kk, metric).indices;
  } finally {
    for (const b of blocks) b.tensor.dispose();
  }
  if (!refIncludesQuery) return found;
  return removeSelf(found, nq, kk);
}

/** Drops each row's own index from `kk`-wide rows (or the last entry when absent). @internal */
export function removeSelf(found: Int32Array | ArrayLike<number>, n: number, kk: number): Int32Array {
  const k = kk - 1;
  const out = new Int32Array(n * k);
  for (let i = 0; i < n; i++) {
    let o = i * k;
    let skipped = false;
    for (let j = 0; j < kk && o < (i + 1) * k; j++) {
      const idx = found[i * kk + j] as number;
      if (!skipped && idx === i) {
        skipped = true;
        continue;
      }
      out[o++] = idx;
    }
  }
  return out;
}

/**
 * k-NN of a set against itself (self excluded), computing each pair once; see
 * {@link SelfKnnPart}. Equivalent to PML's "search k + 1, remove self".
 * @internal
 */
export function selfKnn(data: Float32Array, n: number, dim: number, k: number, blockRows = SELF_BLOCK): Int32Array {
  const part = new SelfKnnPart(data, n, dim, k, blockRows);
  try {
    const tiles = selfKnnTiles(part.blocks);
    for (let t = 0; t < tiles.length; t += 2) part.runTile(tiles[t] as number, tiles[t + 1] as number);
  } finally {
    part.dispose();
  }
  return mergeTopK([part.top], n, k);
}
