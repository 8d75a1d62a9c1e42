/**
 * A bounded "best k" list for each of `rows` queries, in typed arrays: per row a binary
 * min-heap on (score, -index) whose root is the worst kept candidate, so a candidate is
 * compared with one number and memory stays `rows * k` whatever the reference size.
 * Larger scores are better; equal scores prefer the smaller index (deterministic, like
 * faiss on ties).
 * @internal
 */
export class TopKRows {
  readonly rows: number;
  readonly k: number;
  readonly scores: Float32Array;
  readonly indices: Int32Array;
  readonly sizes: Int32Array;

  constructor(rows: number, k: number) {
    this.rows = rows;
    this.k = k;
    this.scores = new Float32Array(rows * k);
    this.indices = new Int32Array(rows * k);
    this.sizes = new Int32Array(rows);
  }

  /** The score a candidate must reach to be considered for `row` (-Infinity while not full). */
  threshold(row: number): number {
    return (this.sizes[row] as number) < this.k ? Number.NEGATIVE_INFINITY : (this.scores[row * this.k] as number);
  }

  /** Offers one candidate to `row`. */
  push(row: number, score: number, index: number): void {
    const k = this.k;
    const base = row * k;
    const s = this.scores;
    const ix = this.indices;
    const size = this.sizes[row] as number;
    if (size < k) {
      // Sift up.
      let i = size;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        const ps = s[base + parent] as number;
        if (ps < score || (ps === score && (ix[base + parent] as number) > index)) break;
        s[base + i] = ps;
        ix[base + i] = ix[base + parent] as number;
        i = parent;
      }
      s[base + i] = score;
      ix[base + i] = index;
      this.sizes[row] = size + 1;
      return;
    }
    const rs = s[base] as number;
    if (score < rs || (score === rs && index > (ix[base] as number)) || Number.isNaN(score)) return;
    // Replace the root and sift down.
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= k) break;
      const right = child + 1;
      if (right < k) {
        const cs = s[base + child] as number;
        const rsc = s[base + right] as number;
        if (rsc < cs || (rsc === cs && (ix[base + right] as number) > (ix[base + child] as number))) child = right;
      }
      const cs = s[base + child] as number;
      if (score < cs || (score === cs && index > (ix[base + child] as number))) break;
      s[base + i] = cs;
      ix[base + i] = ix[base + child] as number;
      i = child;
    }
    s[base + i] = score;
    ix[base + i] = index;
  }

  /**
   * Offers every entry of a row-major tile `[rowCount, cols]` of scores; tile row `r` belongs
   * to heap row `rowStart + r` and tile column `c` is candidate `colOffset + c`.
   */
  pushTile(tile: Float32Array, rowStart: number, rowCount: number, cols: number, colOffset: number): void {
    for (let r = 0; r < rowCount; r++) {
      const row = rowStart + r;
      let thr = this.threshold(row);
      const off = r * cols;
      for (let c = 0; c < cols; c++) {
        const v = tile[off + c] as number;
        if (v >= thr) {
          this.push(row, v, colOffset + c);
          thr = this.threshold(row);
        }
      }
    }
  }

  /**
   * Writes each row's candidates best first into `outIndices` / `outScores` (row-major,
   * `k` per row, starting at row `outRow`); rows with fewer than `k` are padded with -1 / NaN.
   * Heapsort on a copy: repeatedly moving the worst (the root) to the end leaves the row
   * sorted best first, with no comparator closures.
   */
  writeSorted(outIndices: Int32Array, outScores: Float32Array, outRow: number): void {
    const k = this.k;
    const s = new Float32Array(k);
    const ix = new Int32Array(k);
    for (let row = 0; row < this.rows; row++) {
      const base = row * k;
      let size = this.sizes[row] as number;
      s.set(this.scores.subarray(base, base + size));
      ix.set(this.indices.subarray(base, base + size));
      const out = (outRow + row) * k;
      for (let j = size; j < k; j++) {
        outIndices[out + j] = -1;
        outScores[out + j] = Number.NaN;
      }
      while (size > 0) {
        const last = size - 1;
        outIndices[out + last] = ix[0] as number;
        outScores[out + last] = s[0] as number;
        // Move the last leaf to the root and sift it down within [0, last).
        const score = s[last] as number;
        const index = ix[last] as number;
        size = last;
        let i = 0;
        for (;;) {
          let child = 2 * i + 1;
          if (child >= size) break;
          const right = child + 1;
          if (right < size) {
            const cs = s[child] as number;
            const rsc = s[right] as number;
            if (rsc < cs || (rsc === cs && (ix[right] as number) > (ix[child] as number))) child = right;
          }
          const cs = s[child] as number;
          if (score < cs || (score === cs && index > (ix[child] as number))) break;
          s[i] = cs;
          ix[i] = ix[child] as number;
          i = child;
        }
        s[i] = score;
        ix[i] = index;
      }
    }
  }
}
