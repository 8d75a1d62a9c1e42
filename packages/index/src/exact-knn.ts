import * as tf from '@tensorflow/tfjs-core';
import type { IndexMetric } from './index-metric.js';
import { createReferenceBlocks, searchBlocks } from './tiled-knn.js';
import { TopKRows } from './top-k-rows.js';

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

/** Rows per block of the symmetric self-search. */
const SELF_BLOCK = 1024;

/**
 * k-NN of a set against itself (self excluded), computing each pair once: the score
 * `2 x_i.x_j - |x_i|^2 - |x_j|^2` (= -d^2) is symmetric, so only tiles (I, J) with J >= I are
 * multiplied and each score is offered to both rows. About half the flops of a plain search.
 * Equivalent to PML's "search k + 1, remove self".
 * @internal
 */
export function selfKnn(data: Float32Array, n: number, dim: number, k: number, blockRows = SELF_BLOCK): Int32Array {
  const dp = (dim + 2 + 3) & ~3;
  const sq = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < dim; j++) {
      const v = data[i * dim + j] as number;
      s += v * v;
    }
    sq[i] = s;
  }
  const nb = Math.ceil(n / blockRows);
  const left: tf.Tensor2D[] = [];
  const right: tf.Tensor2D[] = [];
  const top = new TopKRows(n, k);
  try {
    for (let b = 0; b < nb; b++) {
      const start = b * blockRows;
      const count = Math.min(blockRows, n - start);
      // Left rows [2x, -1, -|x|^2, 0...]; right columns [x, |x|^2, 1, 0...].
      const a = new Float32Array(count * dp);
      const t = new Float32Array(dp * count);
      for (let i = 0; i < count; i++) {
        const off = (start + i) * dim;
        for (let j = 0; j < dim; j++) {
          const v = data[off + j] as number;
          a[i * dp + j] = 2 * v;
          t[j * count + i] = v;
        }
        a[i * dp + dim] = -1;
        a[i * dp + dim + 1] = -(sq[start + i] as number);
        t[dim * count + i] = sq[start + i] as number;
        t[(dim + 1) * count + i] = 1;
      }
      left.push(tf.tensor2d(a, [count, dp]));
      right.push(tf.tensor2d(t, [dp, count]));
    }
    const colThr = new Float32Array(blockRows);
    for (let bi = 0; bi < nb; bi++) {
      const i0 = bi * blockRows;
      const ti = (left[bi] as tf.Tensor2D).shape[0];
      for (let bj = bi; bj < nb; bj++) {
        const j0 = bj * blockRows;
        const tj = (right[bj] as tf.Tensor2D).shape[1];
        const product = tf.matMul(left[bi] as tf.Tensor2D, right[bj] as tf.Tensor2D);
        const tile = product.dataSync() as Float32Array;
        product.dispose();
        for (let c = 0; c < tj; c++) colThr[c] = top.threshold(j0 + c);
        for (let r = 0; r < ti; r++) {
          const row = i0 + r;
          let rowThr = top.threshold(row);
          const off = r * tj;
          // On the diagonal tile only the strict upper triangle: each pair once, never self.
          for (let c = bi === bj ? r + 1 : 0; c < tj; c++) {
            const v = tile[off + c] as number;
            if (v >= rowThr) {
              top.push(row, v, j0 + c);
              rowThr = top.threshold(row);
            }
            if (v >= (colThr[c] as number)) {
              top.push(j0 + c, v, row);
              colThr[c] = top.threshold(j0 + c);
            }
          }
        }
      }
    }
  } finally {
    tf.dispose([...left, ...right]);
  }
  const indices = new Int32Array(n * k);
  top.writeSorted(indices, new Float32Array(n * k), 0);
  return indices;
}
