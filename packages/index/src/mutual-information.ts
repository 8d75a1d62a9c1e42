/**
 * Contingency tables, entropies and log-gamma for sklearn-compatible NMI / AMI (float64).
 * @internal
 */

export interface Contingency {
  /** Row sums (class sizes), one per distinct true label. */
  readonly a: Float64Array;
  /** Column sums (cluster sizes), one per distinct predicted label. */
  readonly b: Float64Array;
  /** Non-zero cells: row, column, count. */
  readonly cells: { readonly row: number; readonly col: number; readonly n: number }[];
  readonly n: number;
}

function codes(labels: Int32Array): { codes: Int32Array; count: number } {
  // Sorted distinct labels, like np.unique, so cell order matches sklearn's summation order.
  const distinct = Array.from(new Set(labels)).sort((x, y) => x - y);
  const map = new Map(distinct.map((v, i) => [v, i]));
  return { codes: labels.map((v) => map.get(v) as number), count: distinct.length };
}

export function contingency(labelsTrue: Int32Array, labelsPred: Int32Array): Contingency {
  const t = codes(labelsTrue);
  const p = codes(labelsPred);
  const table = new Map<number, number>();
  for (let i = 0; i < labelsTrue.length; i++) {
    const key = (t.codes[i] as number) * p.count + (p.codes[i] as number);
    table.set(key, (table.get(key) ?? 0) + 1);
  }
  const a = new Float64Array(t.count);
  const b = new Float64Array(p.count);
  const cells: { row: number; col: number; n: number }[] = [];
  for (const [key, n] of table) {
    const row = Math.floor(key / p.count);
    const col = key % p.count;
    cells.push({ row, col, n });
    a[row] = (a[row] as number) + n;
    b[col] = (b[col] as number) + n;
  }
  // Row-major like scipy's sparse.find on a CSR matrix.
  cells.sort((x, y) => x.row - y.row || x.col - y.col);
  return { a, b, cells, n: labelsTrue.length };
}

/** Shannon entropy (nats) of a labelling given its class sizes; 0 for a single class. */
export function entropyOf(sizes: Float64Array): number {
  if (sizes.length <= 1) return 0;
  let total = 0;
  for (const s of sizes) total += s;
  const logTotal = Math.log(total);
  let h = 0;
  for (const s of sizes) if (s > 0) h -= (s / total) * (Math.log(s) - logTotal);
  return h;
}

/** Mutual information (nats) with sklearn's `mutual_info_score` formula and clipping. */
export function mutualInfo(c: Contingency): number {
  if (c.a.length === 1 || c.b.length === 1) return 0;
  const total = c.n;
  const logTotal = Math.log(total);
  let sumA = 0;
  let sumB = 0;
  for (const x of c.a) sumA += x;
  for (const x of c.b) sumB += x;
  const eps = 2.220446049250313e-16;
  let mi = 0;
  for (const cell of c.cells) {
    const pnm = cell.n / total;
    const outer = (c.a[cell.row] as number) * (c.b[cell.col] as number);
    const logOuter = -Math.log(outer) + Math.log(sumA) + Math.log(sumB);
    const term = pnm * (Math.log(cell.n) - logTotal) + pnm * logOuter;
    if (Math.abs(term) >= eps) mi += term;
  }
  return Math.max(mi, 0);
}

/** log(Gamma(x)) for x > 0, to about 1e-15 relative (Stirling series above 16, recurrence below). */
export function logGamma(x: number): number {
  let shift = 0;
  while (x < 16) {
    shift += Math.log(x);
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  const series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 * (1 / 1188)))));
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + series - shift;
}

/** sklearn's `expected_mutual_information` (the EMI under random labellings with fixed sizes). */
export function expectedMutualInfo(c: Contingency): number {
  const { a, b } = c;
  const n = c.n;
  if (a.length === 1 || b.length === 1) return 0;
  // Every log-gamma argument is an integer m + 1 with 0 <= m <= n: tabulate log(m!).
  const lf = new Float64Array(n + 1);
  for (let m = 0; m <= n; m++) lf[m] = logGamma(m + 1);
  const logN = Math.log(n);
  let emi = 0;
  for (let i = 0; i < a.length; i++) {
    const ai = a[i] as number;
    const logA = Math.log(ai);
    for (let j = 0; j < b.length; j++) {
      const bj = b[j] as number;
      const logB = Math.log(bj);
      const base = (lf[ai] as number) + (lf[bj] as number) + (lf[n - ai] as number) + (lf[n - bj] as number) - (lf[n] as number);
      const start = Math.max(1, ai - n + bj);
      const end = Math.min(ai, bj);
      for (let nij = start; nij <= end; nij++) {
        const term2 = logN + Math.log(nij) - logA - logB;
        const gln =
          base - (lf[nij] as number) - (lf[ai - nij] as number) - (lf[bj - nij] as number) - (lf[n - ai - bj + nij] as number);
        emi += (nij / n) * term2 * Math.exp(gln);
      }
    }
  }
  return emi;
}
