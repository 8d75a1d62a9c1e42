/**
 * PML 2.8.1's k-NN retrieval metrics, computed from the labels of each query's neighbours.
 * `knnLabels` is row-major with `width` columns of which the first `k` count; `relevant[i]`
 * is R for query i (same-label reference items, minus the query itself when the reference
 * includes it). Queries with R = 0 ("lone" queries) must already be excluded through
 * `keep`. Every metric is a mean over kept queries, or with `avgOfAvgs` a mean over query
 * labels of the per-label means.
 * @internal
 */
export interface RetrievalInput {
  readonly knnLabels: Int32Array;
  readonly width: number;
  readonly k: number;
  readonly queryLabels: Int32Array;
  readonly relevant: Int32Array;
  readonly keep: Uint8Array;
  readonly avgOfAvgs: boolean;
}

function average(input: RetrievalInput, perQuery: (i: number) => number): number {
  const { queryLabels, keep, avgOfAvgs } = input;
  if (!avgOfAvgs) {
    let sum = 0;
    let n = 0;
    for (let i = 0; i < keep.length; i++) {
      if (!keep[i]) continue;
      sum += perQuery(i);
      n++;
    }
    return n === 0 ? 0 : sum / n;
  }
  const sums = new Map<number, { sum: number; n: number }>();
  for (let i = 0; i < keep.length; i++) {
    if (!keep[i]) continue;
    const label = queryLabels[i] as number;
    const s = sums.get(label) ?? { sum: 0, n: 0 };
    s.sum += perQuery(i);
    s.n++;
    sums.set(label, s);
  }
  if (sums.size === 0) return 0;
  let total = 0;
  for (const s of sums.values()) total += s.sum / s.n;
  return total / sums.size;
}

const same = (input: RetrievalInput, i: number, j: number) => input.knnLabels[i * input.width + j] === input.queryLabels[i];

/** Fraction of queries whose nearest neighbour has their label. */
export function precisionAt1(input: RetrievalInput): number {
  return average(input, (i) => (input.k >= 1 && same(input, i, 0) ? 1 : 0));
}

/** Same-label neighbours among the first min(R, k), divided by min(R, k). */
export function rPrecision(input: RetrievalInput): number {
  return average(input, (i) => {
    const r = Math.min(input.relevant[i] as number, input.k);
    let hits = 0;
    for (let j = 0; j < r; j++) if (same(input, i, j)) hits++;
    return hits / r;
  });
}

/** Sum of P@j over relevant positions j <= min(R, k), divided by min(R, k) (PML's relevance mask). */
export function meanAveragePrecisionAtR(input: RetrievalInput): number {
  return average(input, (i) => {
    const r = Math.min(input.relevant[i] as number, input.k);
    let hits = 0;
    let sum = 0;
    for (let j = 0; j < r; j++) {
      if (same(input, i, j)) {
        hits++;
        sum += hits / (j + 1);
      }
    }
    return sum / r;
  });
}

/** Sum of P@j over relevant positions j <= k, divided by R (not by the relevant items found). */
export function meanAveragePrecision(input: RetrievalInput): number {
  return average(input, (i) => {
    let hits = 0;
    let sum = 0;
    for (let j = 0; j < input.k; j++) {
      if (same(input, i, j)) {
        hits++;
        sum += hits / (j + 1);
      }
    }
    return sum / (input.relevant[i] as number);
  });
}

/** 1 / rank of the first same-label neighbour within k, 0 when there is none. */
export function meanReciprocalRank(input: RetrievalInput): number {
  return average(input, (i) => {
    for (let j = 0; j < input.k; j++) if (same(input, i, j)) return 1 / (j + 1);
    return 0;
  });
}

/** Fraction of queries with at least one same-label neighbour among the first `at`. */
export function recallAt(input: RetrievalInput, at: number): number {
  return average(input, (i) => {
    for (let j = 0; j < at; j++) if (same(input, i, j)) return 1;
    return 0;
  });
}
