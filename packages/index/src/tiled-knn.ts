import * as tf from '@tensorflow/tfjs-core';
import type { IndexMetric } from './index-metric.js';
import { readTile } from './read-tile.js';
import { TopKRows } from './top-k-rows.js';

/**
 * Exact k-NN on the tfjs backend in tiles (the engine under `exactIndex` and the accuracy
 * calculator). The reference is stored transposed and augmented, `[Dp, count]` per block,
 * so that one plain matMul of a query tile `[Tq, Dp]` gives scores where larger is closer:
 *
 * - l2: query row `[2q, -1, 0...]`, reference column `[r, |r|^2, 0...]` -> `2 q.r - |r|^2`
 *   (`= |q|^2 - |q - r|^2`, so ranking by it ranks by distance);
 * - cosine / dot: `[q, 0...]` and `[r, 0...]` -> `q.r`.
 *
 * The reference is transposed once when a block is packed because wasm matMul with
 * `transposeB` is about 15x slower than the plain form. `Dp` is `dim + 1` rounded up to a
 * multiple of 4 (the SIMD width). Only one `[Tq, blockRows]` tile of scores exists at a time,
 * and each query keeps its best k in JS typed arrays: memory is O(Tq x blockRows + nq x k).
 * @internal
 */

/** Reference rows per block (and per matMul tile). */
export const BLOCK_ROWS = 4096;
/** Query rows per matMul tile. */
export const QUERY_TILE = 512;

export function packedDim(dim: number): number {
  return (dim + 1 + 3) & ~3;
}

/** One packed reference block and the rows it covers. */
export interface ReferenceBlock {
  readonly start: number;
  readonly count: number;
  readonly tensor: tf.Tensor2D;
}

/** Packs rows `[start, start + count)` of `data` as a transposed, augmented `[Dp, count]` block. */
export function packReferenceBlock(
  data: Float32Array,
  dim: number,
  start: number,
  count: number,
  metric: IndexMetric,
): Float32Array {
  const dp = packedDim(dim);
  const out = new Float32Array(dp * count);
  for (let i = 0; i < count; i++) {
    const off = (start + i) * dim;
    let sq = 0;
    for (let j = 0; j < dim; j++) {
      const v = data[off + j] as number;
      out[j * count + i] = v;
      sq += v * v;
    }
    if (metric === 'l2') out[dim * count + i] = sq;
  }
  return out;
}

/** Packs `count` query rows from `start` as `[count, Dp]`. */
export function packQueries(data: Float32Array, dim: number, start: number, count: number, metric: IndexMetric): Float32Array {
  const dp = packedDim(dim);
  const out = new Float32Array(count * dp);
  const scale = metric === 'l2' ? 2 : 1;
  for (let i = 0; i < count; i++) {
    const off = (start + i) * dim;
    const o = i * dp;
    for (let j = 0; j < dim; j++) out[o + j] = scale * (data[off + j] as number);
    if (metric === 'l2') out[o + dim] = -1;
  }
  return out;
}

/** Packs `data` (`n` rows) into reference blocks; the caller owns (and disposes) the tensors. */
export function createReferenceBlocks(
  data: Float32Array,
  n: number,
  dim: number,
  metric: IndexMetric,
  blockRows = BLOCK_ROWS,
): ReferenceBlock[] {
  const blocks: ReferenceBlock[] = [];
  for (let start = 0; start < n; start += blockRows) {
    const count = Math.min(blockRows, n - start);
    blocks.push(createReferenceBlock(data, dim, start, count, metric));
  }
  return blocks;
}

export function createReferenceBlock(
  data: Float32Array,
  dim: number,
  start: number,
  count: number,
  metric: IndexMetric,
): ReferenceBlock {
  const tensor = tf.tensor2d(packReferenceBlock(data, dim, start, count, metric), [packedDim(dim), count]);
  return { start, count, tensor };
}

/** Neighbours of many queries: `k` per query, row-major, best first. */
export interface KnnResult {
  readonly k: number;
  readonly indices: Int32Array;
  /** Larger is closer: `2 q.r - |r|^2` for l2, `q.r` otherwise. */
  readonly scores: Float32Array;
}

/**
 * The `k` highest-scoring reference rows for each of `nq` query rows (`queries` row-major,
 * already normalised for cosine). `k` must not exceed the number of reference rows.
 */
export function searchBlocks(
  blocks: readonly ReferenceBlock[],
  queries: Float32Array,
  nq: number,
  dim: number,
  k: number,
  metric: IndexMetric,
  queryTile = QUERY_TILE,
): KnnResult {
  const indices = new Int32Array(nq * k);
  const scores = new Float32Array(nq * k);
  const dp = packedDim(dim);
  for (let qs = 0; qs < nq; qs += queryTile) {
    const tq = Math.min(queryTile, nq - qs);
    const top = new TopKRows(tq, k);
    const q = tf.tensor2d(packQueries(queries, dim, qs, tq, metric), [tq, dp]);
    try {
      for (const block of blocks) {
        const tile = tf.matMul(q, block.tensor);
        try {
          top.pushTile(readTile(tile), 0, tq, block.count, block.start);
        } finally {
          tile.dispose();
        }
      }
    } finally {
      q.dispose();
    }
    top.writeSorted(indices, scores, qs);
  }
  return { k, indices, scores };
}
