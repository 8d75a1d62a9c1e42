/**
 * A bounded "best k" list for each of `rows` queries, in typed arrays. Each row has a buffer
 * of `cap = 2k` slots and a threshold: a candidate below the threshold is rejected with one
 * comparison, otherwise appended; when the buffer is full, a quickselect keeps the best k
 * and raises the threshold to the k-th best score. That costs O(1) amortised per accepted
 * candidate (a heap would cost O(log k) scattered moves), and memory stays `rows * 2k`
 * whatever the reference size (the same idea as faiss's reservoir top-k).
 *
 * Larger scores are better; equal scores prefer the smaller index (deterministic, and the
 * (score, index) keys of a row are distinct).
 * @internal
 */
export class TopKRows {
  readonly rows: number;
  readonly k: number;
  readonly cap: number;
  readonly scores: Float32Array;
  readonly indices: Int32Array;
  readonly sizes: Int32Array;
  readonly thresholds: Float32Array;
  private readonly scratch: Float32Array;

  constructor(rows: number, k: number) {
    this.rows = rows;
    this.k = k;
    this.cap = Math.max(2 * k, k + 8);
    this.scores = new Float32Array(rows * this.cap);
    this.indices = new Int32Array(rows * this.cap);
    this.sizes = new Int32Array(rows);
    this.thresholds = new Float32Array(rows).fill(Number.NEGATIVE_INFINITY);
    this.scratch = new Float32Array(this.cap);
  }

  /** The score a candidate must reach to be considered for `row`. */
  threshold(row: number): number {
    return this.thresholds[row] as number;
  }

  /** Offers one candidate to `row` (NaN is never accepted). */
  push(row: number, score: number, index: number): void {
    if (!(score >= (this.thresholds[row] as number))) return;
    const size = this.sizes[row] as number;
    const at = row * this.cap + size;
    this.scores[at] = score;
    this.indices[at] = index;
    if (size + 1 === this.cap) this.compact(row);
    else this.sizes[row] = size + 1;
  }

  /**
   * Drops a full buffer's entries below its k-th best score and raises the row's threshold
   * to that score. The k-th score is found by a quickselect on a scratch copy of the plain
   * scores (no index tie-breaks); ties with it are all kept, so no candidate that could still
   * rank in the top k (by score, then index) is lost.
   */
  compact(row: number): void {
    const base = row * this.cap;
    const cap = this.cap;
    const s = this.scores;
    const ix = this.indices;
    const scratch = this.scratch;
    scratch.set(s.subarray(base, base + cap));
    const thr = kthLargest(scratch, cap, this.k);
    let w = base;
    for (let i = base; i < base + cap; i++) {
      const v = s[i] as number;
      if (v >= thr) {
        s[w] = v;
        ix[w] = ix[i] as number;
        w++;
      }
    }
    let size = w - base;
    if (size >= cap) {
      // Only when more than k entries tie with the threshold (duplicate vectors).
      selectBest(s, ix, base, base + size, this.k);
      size = this.k;
    }
    this.thresholds[row] = thr;
    this.sizes[row] = size;
  }

  /** Keeps only each row's best `k` (unordered), so that a part sends back little to merge. */
  reduceToK(): void {
    for (let row = 0; row < this.rows; row++) {
      const size = this.sizes[row] as number;
      if (size > this.k) {
        const base = row * this.cap;
        selectBest(this.scores, this.indices, base, base + size, this.k);
        this.sizes[row] = this.k;
      }
    }
  }

  /**
   * Offers every entry of a row-major tile `[rowCount, cols]` of scores; tile row `r` belongs
   * to row `rowStart + r` and tile column `c` is candidate `colOffset + c`.
   */
  pushTile(tile: Float32Array, rowStart: number, rowCount: number, cols: number, colOffset: number): void {
    const thresholds = this.thresholds;
    for (let r = 0; r < rowCount; r++) {
      const row = rowStart + r;
      let thr = thresholds[row] as number;
      const off = r * cols;
      for (let c = 0; c < cols; c++) {
        const v = tile[off + c] as number;
        if (v >= thr) {
          this.push(row, v, colOffset + c);
          thr = thresholds[row] as number;
        }
      }
    }
  }

  /**
   * Writes each row's best `k` best first into `outIndices` / `outScores` (row-major, `k` per
   * row, starting at row `outRow`); rows with fewer than `k` are padded with -1 / NaN.
   */
  writeSorted(outIndices: Int32Array, outScores: Float32Array, outRow: number): void {
    const { k, cap, scores, indices } = this;
    for (let row = 0; row < this.rows; row++) {
      const base = row * cap;
      let size = this.sizes[row] as number;
      if (size > k) {
        selectBest(scores, indices, base, base + size, k);
        size = k;
      }
      sortBestFirst(scores, indices, base, size);
      const out = (outRow + row) * k;
      for (let j = 0; j < k; j++) {
        outIndices[out + j] = j < size ? (indices[base + j] as number) : -1;
        outScores[out + j] = j < size ? (scores[base + j] as number) : Number.NaN;
      }
    }
  }
}

/** The k-th largest of `a[0..n)` (reorders `a`), by quickselect on plain numbers. @internal */
export function kthLargest(a: Float32Array, n: number, k: number): number {
  let left = 0;
  let right = n - 1;
  const target = k - 1;
  while (right > left) {
    const pivot = a[(left + right) >> 1] as number;
    let i = left;
    let j = right;
    while (i <= j) {
      while ((a[i] as number) > pivot) i++;
      while ((a[j] as number) < pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) right = j;
    else if (target >= i) left = i;
    else break;
  }
  return a[target] as number;
}

/** True when (sa, ia) ranks before (sb, ib). */
function better(sa: number, ia: number, sb: number, ib: number): boolean {
  return sa > sb || (sa === sb && ia < ib);
}

/** Quickselect: reorders `[lo, hi)` so that its `k` best entries occupy `[lo, lo + k)`. @internal */
export function selectBest(s: Float32Array, ix: Int32Array, lo: number, hi: number, k: number): void {
  let left = lo;
  let right = hi - 1;
  const target = lo + k - 1;
  if (k <= 0 || target >= right) return;
  while (right > left) {
    // Median of three as the pivot.
    const mid = (left + right) >> 1;
    const a = left;
    const b = mid;
    const c = right;
    let p = b;
    const sa = s[a] as number;
    const sb = s[b] as number;
    const sc = s[c] as number;
    const ia = ix[a] as number;
    const ib = ix[b] as number;
    const ic = ix[c] as number;
    if (better(sa, ia, sb, ib)) {
      if (better(sb, ib, sc, ic)) p = b;
      else p = better(sa, ia, sc, ic) ? c : a;
    } else if (better(sa, ia, sc, ic)) p = a;
    else p = better(sb, ib, sc, ic) ? c : b;
    const ps = s[p] as number;
    const pi = ix[p] as number;
    let i = left;
    let j = right;
    while (i <= j) {
      while (better(s[i] as number, ix[i] as number, ps, pi)) i++;
      while (better(ps, pi, s[j] as number, ix[j] as number)) j--;
      if (i <= j) {
        const ts = s[i] as number;
        s[i] = s[j] as number;
        s[j] = ts;
        const ti = ix[i] as number;
        ix[i] = ix[j] as number;
        ix[j] = ti;
        i++;
        j--;
      }
    }
    if (target <= j) right = j;
    else if (target >= i) left = i;
    else return;
  }
}

/** Sifts entry `start` down a heap on `[base, base + end)` whose root is the worst entry. */
function siftDown(s: Float32Array, ix: Int32Array, base: number, start: number, end: number): void {
  const score = s[base + start] as number;
  const index = ix[base + start] as number;
  let i = start;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= end) break;
    const right = child + 1;
    if (
      right < end &&
      better(s[base + child] as number, ix[base + child] as number, s[base + right] as number, ix[base + right] as number)
    ) {
      child = right;
    }
    if (!better(score, index, s[base + child] as number, ix[base + child] as number)) break;
    s[base + i] = s[base + child] as number;
    ix[base + i] = ix[base + child] as number;
    i = child;
  }
  s[base + i] = score;
  ix[base + i] = index;
}

/** Heapsort of `[base, base + size)` into best-first order, with no comparator closures. @internal */
export function sortBestFirst(s: Float32Array, ix: Int32Array, base: number, size: number): void {
  // Build a heap whose root is the worst entry, then move the root to the end repeatedly.
  for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(s, ix, base, i, size);
  for (let end = size - 1; end > 0; end--) {
    const ts = s[base] as number;
    s[base] = s[base + end] as number;
    s[base + end] = ts;
    const ti = ix[base] as number;
    ix[base] = ix[base + end] as number;
    ix[base + end] = ti;
    siftDown(s, ix, base, 0, end);
  }
}
