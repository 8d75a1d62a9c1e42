/**
 * Plain-loop float64 reference implementations of the pair-family losses (contrastive,
 * NT-Xent, lifted structure, generalised lifted structure, N-pairs, margin), written from
 * PML's definitions over every pair / triplet of a labelled batch, for brute-force tests.
 */
import { createRng } from '@emb/core';

export type Matrix = number[][];
export type Metric = 'lp' | 'lp-raw' | 'cosine' | 'dot-raw';

export interface Batch {
  readonly embeddings: Matrix;
  readonly labels: number[];
}

/** A random batch with `numClasses` classes, every class present at least twice when possible. */
export function randomBatch(seed: string, b: number, d: number, numClasses: number): Batch {
  const rng = createRng(seed);
  const embeddings = Array.from({ length: b }, () => Array.from({ length: d }, () => rng.normal()));
  const labels = Array.from({ length: b }, (_, i) => i % numClasses);
  rng.shuffle(labels);
  return { embeddings, labels };
}

/** The same batch with rows (and labels) reordered by `order`. */
export function permute(batch: Batch, order: readonly number[]): Batch {
  return {
    embeddings: order.map((i) => batch.embeddings[i] as number[]),
    labels: order.map((i) => batch.labels[i] as number),
  };
}

const normalize = (x: number[]) => {
  const n = Math.max(Math.hypot(...x), 1e-12);
  return x.map((v) => v / n);
};

export function isInverted(metric: Metric): boolean {
  return metric === 'cosine' || metric === 'dot-raw';
}

/** The [B, R] matrix of `metric` between the rows of `q` and `r`. */
export function matrix(q: Matrix, r: Matrix, metric: Metric): Matrix {
  const norm = metric !== 'lp-raw' && metric !== 'dot-raw';
  const qq = norm ? q.map(normalize) : q;
  const rr = norm ? r.map(normalize) : r;
  return qq.map((x) =>
    rr.map((y) => {
      if (isInverted(metric)) return x.reduce((s, v, k) => s + v * (y[k] as number), 0);
      return Math.sqrt(x.reduce((s, v, k) => s + (v - (y[k] as number)) ** 2, 0));
    }),
  );
}

/** PML's `distance.margin(x, y)`: positive when x is farther than y. */
const marginOf = (metric: Metric) => (x: number, y: number) => (isInverted(metric) ? y - x : x - y);

const logSumExp = (xs: number[]) => {
  if (xs.length === 0) return 0;
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
};

const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);
const meanNonZero = (xs: number[]) => mean(xs.filter((x) => x > 0));

/** Every (i, j) with i != j and same label (pos), or different label (neg), row-major. */
export function pairs(labels: number[]): { pos: [number, number][]; neg: [number, number][] } {
  const pos: [number, number][] = [];
  const neg: [number, number][] = [];
  labels.forEach((li, i) => {
    labels.forEach((lj, j) => {
      if (li === lj && i !== j) pos.push([i, j]);
      else if (li !== lj) neg.push([i, j]);
    });
  });
  return { pos, neg };
}

export function contrastiveRef(batch: Batch, o: { posMargin: number; negMargin: number; metric: Metric }): number {
  const mat = matrix(batch.embeddings, batch.embeddings, o.metric);
  const m = marginOf(o.metric);
  const { pos, neg } = pairs(batch.labels);
  if (pos.length <= 1 && neg.length <= 1) return 0;
  const posTerms = pos.map(([i, j]) => Math.max(0, m(mat[i]![j]!, o.posMargin)));
  const negTerms = neg.map(([i, j]) => Math.max(0, m(o.negMargin, mat[i]![j]!)));
  return meanNonZero(posTerms) + meanNonZero(negTerms);
}

export function ntxentRef(batch: Batch, o: { temperature: number; metric: Metric }): number {
  const mat = matrix(batch.embeddings, batch.embeddings, o.metric);
  const s = (i: number, j: number) => (isInverted(o.metric) ? mat[i]![j]! : -mat[i]![j]!) / o.temperature;
  const { pos, neg } = pairs(batch.labels);
  if ((pos.length <= 1 && neg.length <= 1) || pos.length === 0 || neg.length === 0) return 0;
  const terms = pos.map(([a, p]) => {
    const negs = neg.filter(([a2]) => a2 === a).map(([, n]) => s(a, n));
    return logSumExp([s(a, p), ...negs]) - s(a, p);
  });
  return mean(terms);
}

export function liftedRef(batch: Batch, o: { negMargin: number; posMargin: number; metric: Metric }): number {
  const mat = matrix(batch.embeddings, batch.embeddings, o.metric);
  const m = marginOf(o.metric);
  const { pos, neg } = pairs(batch.labels);
  if ((pos.length <= 1 && neg.length <= 1) || pos.length === 0 || neg.length === 0) return 0;
  const terms = pos.map(([a, p]) => {
    const negs = neg.filter(([a2]) => a2 === a || a2 === p).map(([a2, n]) => m(o.negMargin, mat[a2]![n]!));
    return Math.max(0, logSumExp(negs) + m(mat[a]![p]!, o.posMargin)) ** 2 / 2;
  });
  return mean(terms);
}

export function generalizedLiftedRef(batch: Batch, o: { negMargin: number; posMargin: number; metric: Metric }): number {
  const mat = matrix(batch.embeddings, batch.embeddings, o.metric);
  const m = marginOf(o.metric);
  const { pos, neg } = pairs(batch.labels);
  if (pos.length <= 1 && neg.length <= 1) return 0;
  const terms = batch.labels.map((_, i) => {
    const p = pos.filter(([a]) => a === i).map(([, j]) => m(mat[i]![j]!, o.posMargin));
    const n = neg.filter(([a]) => a === i).map(([, j]) => m(o.negMargin, mat[i]![j]!));
    return Math.max(0, logSumExp(p) + logSumExp(n));
  });
  return mean(terms);
}

export function nPairsRef(batch: Batch, o: { metric: Metric }): number {
  const { pos } = pairs(batch.labels);
  const first = new Map<number, [number, number]>();
  for (const [a, p] of pos) if (!first.has(batch.labels[a]!)) first.set(batch.labels[a]!, [a, p]);
  const chosen = [...first.entries()].sort((x, y) => x[0] - y[0]).map(([, pair]) => pair);
  if (chosen.length === 0) return 0;
  const mat = matrix(batch.embeddings, batch.embeddings, o.metric);
  const s = (i: number, j: number) => (isInverted(o.metric) ? mat[i]![j]! : -mat[i]![j]!);
  const terms = chosen.map(([a, p]) => logSumExp(chosen.map(([, pj]) => s(a, pj))) - s(a, p));
  return mean(terms);
}

/** MarginLoss with the divisor reducer; `betas[label]` (or `betas[0]` for one beta), `nu` only when `learnBeta`. */
export function marginRef(
  batch: Batch,
  o: { margin: number; betas: number[]; nu: number; learnBeta: boolean; metric: Metric },
): number {
  const mat = matrix(batch.embeddings, batch.embeddings, o.metric);
  const m = marginOf(o.metric);
  const { labels } = batch;
  let sum = 0;
  let divisor = 0;
  let regSum = 0;
  let triplets = 0;
  labels.forEach((la, a) => {
    const beta = o.betas.length === 1 ? o.betas[0]! : o.betas[la]!;
    labels.forEach((lp, p) => {
      if (lp !== la || p === a) return;
      labels.forEach((ln, n) => {
        if (ln === la) return;
        const pos = Math.max(0, m(mat[a]![p]!, beta) + o.margin);
        const neg = Math.max(0, m(beta, mat[a]![n]!) + o.margin);
        sum += pos + neg;
        divisor += (pos > 0 ? 1 : 0) + (neg > 0 ? 1 : 0);
        regSum += beta * o.nu;
        triplets++;
      });
    });
  });
  if (triplets === 0) return 0;
  const marginPart = divisor ? sum / divisor : 0;
  if (!o.learnBeta) return marginPart;
  if (o.betas.length === 1) return marginPart + o.betas[0]! * o.nu;
  return marginPart + (divisor ? regSum / divisor : 0);
}

/** A random order of 0..n-1. */
export function shuffled(seed: string, n: number): number[] {
  return createRng(seed).shuffle(Array.from({ length: n }, (_, i) => i));
}
