import * as tf from '@tensorflow/tfjs-core';
import { readTile } from './read-tile.js';
import { selectBest, sortBestFirst, TopKRows } from './top-k-rows.js';

/** Rows per block of the symmetric self-search. */
export const SELF_BLOCK = 1024;

/**
 * The tiles (bi, bj), bj >= bi, of a symmetric self-search over `blocks` blocks, as a flat
 * list of pairs: diagonal tiles first (they seed every row's top-k with nearby candidates,
 * so later tiles are mostly rejected by one comparison), then the rest row by row.
 * @internal
 */
export function selfKnnTiles(blocks: number): Int32Array {
  const out: number[] = [];
  for (let b = 0; b < blocks; b++) out.push(b, b);
  for (let bi = 0; bi < blocks; bi++) for (let bj = bi + 1; bj < blocks; bj++) out.push(bi, bj);
  return Int32Array.from(out);
}

/**
 * One participant of a symmetric self k-NN (the main thread, or a worker given the same
 * data): it multiplies the tiles it is handed and keeps its own top-k for every row; the
 * parts are merged with {@link mergeTopK}.
 *
 * The score `2 x_i.x_j - |x_i|^2 - |x_j|^2` (= -d^2) is symmetric, so only tiles (I, J) with
 * J >= I are multiplied and each score is offered to both row i and row j: about half the
 * flops of a plain search. Left rows are packed `[2x, -1, -|x|^2, 0...]`, right columns
 * `[x, |x|^2, 1, 0...]` (transposed once, as wasm matMul with transposeB is slow).
 * @internal
 */
export class SelfKnnPart {
  readonly top: TopKRows;
  readonly blocks: number;
  private readonly left: (tf.Tensor2D | undefined)[] = [];
  private readonly right: (tf.Tensor2D | undefined)[] = [];
  private readonly sq: Float32Array;

  constructor(
    private readonly data: Float32Array,
    private readonly n: number,
    private readonly dim: number,
    k: number,
    private readonly blockRows = SELF_BLOCK,
  ) {
    this.top = new TopKRows(n, k);
    this.blocks = Math.ceil(n / blockRows);
    this.sq = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < dim; j++) {
        const v = data[i * dim + j] as number;
        s += v * v;
      }
      this.sq[i] = s;
    }
  }

  private pack(b: number): void {
    const { data, dim, sq } = this;
    const dp = (dim + 2 + 3) & ~3;
    const start = b * this.blockRows;
    const count = Math.min(this.blockRows, this.n - start);
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
    this.left[b] = tf.tensor2d(a, [count, dp]);
    this.right[b] = tf.tensor2d(t, [dp, count]);
  }

  /** Multiplies tile (bi, bj), bj >= bi, and offers its scores to both rows of each pair. */
  runTile(bi: number, bj: number): void {
    if (this.left[bi] === undefined) this.pack(bi);
    if (this.right[bj] === undefined) this.pack(bj);
    const top = this.top;
    const i0 = bi * this.blockRows;
    const j0 = bj * this.blockRows;
    const product = tf.matMul(this.left[bi] as tf.Tensor2D, this.right[bj] as tf.Tensor2D);
    const [ti, tj] = product.shape as [number, number];
    try {
      const tile = readTile(product);
      // Thresholds only rise when a row's reservoir is compacted, so reading them in place
      // (no per-tile copy) stays correct: a stale value only lets an extra candidate through.
      const thr = top.thresholds;
      // top.push inlined: append to the row's reservoir, compact when full.
      const scores = top.scores;
      const indices = top.indices;
      const sizes = top.sizes;
      const cap = top.cap;
      for (let r = 0; r < ti; r++) {
        const row = i0 + r;
        let rowThr = thr[row] as number;
        const off = r * tj;
        // On a diagonal tile only the strict upper triangle: each pair once, never self.
        for (let c = bi === bj ? r + 1 : 0; c < tj; c++) {
          const v = tile[off + c] as number;
          if (v >= rowThr) {
            const size = sizes[row] as number;
            scores[row * cap + size] = v;
            indices[row * cap + size] = j0 + c;
            if (size + 1 === cap) {
              top.compact(row);
              rowThr = thr[row] as number;
            } else sizes[row] = size + 1;
          }
          const col = j0 + c;
          if (v >= (thr[col] as number)) {
            const size = sizes[col] as number;
            scores[col * cap + size] = v;
            indices[col * cap + size] = row;
            if (size + 1 === cap) top.compact(col);
            else sizes[col] = size + 1;
          }
        }
      }
    } finally {
      product.dispose();
    }
  }

  dispose(): void {
    tf.dispose([...this.left, ...this.right].filter((t): t is tf.Tensor2D => t !== undefined));
    this.left.length = 0;
    this.right.length = 0;
  }
}

/** The shareable state of a {@link TopKRows} (what a worker sends back). @internal */
export interface TopKState {
  readonly cap: number;
  readonly scores: Float32Array;
  readonly indices: Int32Array;
  readonly sizes: Int32Array;
}

/**
 * Merges the per-row candidates of several parts into each row's `k` best indices, best
 * first (score descending, index ascending on ties).
 * @internal
 */
export function mergeTopK(parts: readonly TopKState[], n: number, k: number): Int32Array {
  const out = new Int32Array(n * k);
  if (parts.length === 1 && parts[0] instanceof TopKRows) {
    parts[0].writeSorted(out, new Float32Array(n * k), 0);
    return out;
  }
  // Each row: gather every part's candidates, keep the best k, sort them.
  let width = 0;
  for (const p of parts) width += p.cap;
  const s = new Float32Array(width);
  const ix = new Int32Array(width);
  for (let row = 0; row < n; row++) {
    let m = 0;
    for (const p of parts) {
      const size = p.sizes[row] as number;
      const base = row * p.cap;
      s.set(p.scores.subarray(base, base + size), m);
      ix.set(p.indices.subarray(base, base + size), m);
      m += size;
    }
    if (m > k) {
      selectBest(s, ix, 0, m, k);
      m = k;
    }
    sortBestFirst(s, ix, 0, m);
    for (let j = 0; j < k; j++) out[row * k + j] = j < m ? (ix[j] as number) : -1;
  }
  return out;
}
