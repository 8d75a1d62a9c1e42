/**
 * Plain-loop float64 reference implementations of the matrix / proxy / classifier losses
 * (multi-similarity, circle, SupCon, proxy-anchor, ArcFace, FastAP) over a labelled batch,
 * written from PML 2.8.1's definitions, for brute-force tests; plus small batch utilities.
 */
import { createRng, type Loss, type LossInput } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';

export type Matrix = number[][];

export interface LabelledBatch {
  readonly embeddings: Matrix;
  readonly labels: number[];
}

/** A random batch of `b` rows in `d` dimensions; labels `i % numClasses`, shuffled. */
export function makeBatch(seed: string, b: number, d: number, numClasses: number): LabelledBatch {
  const rng = createRng(seed);
  const embeddings = Array.from({ length: b }, () => Array.from({ length: d }, () => rng.normal()));
  const labels = rng.shuffle(Array.from({ length: b }, (_, i) => i % numClasses));
  return { embeddings, labels };
}

/** A random [rows, cols] matrix (weights such as proxies). */
export function randomMatrix(seed: string, rows: number, cols: number): Matrix {
  const rng = createRng(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal()));
}

/** The batch with its rows and labels reordered by a seeded random permutation. */
export function shuffleBatch(batch: LabelledBatch, seed: string): LabelledBatch {
  const order = createRng(seed).shuffle(batch.labels.map((_, i) => i));
  return { embeddings: order.map((i) => batch.embeddings[i] as number[]), labels: order.map((i) => batch.labels[i] as number) };
}

/** `loss.compute` on plain arrays, read back as a number; throws if the call leaked tensors. */
export function computeLoss(loss: Loss, batch: LabelledBatch, extra: Omit<LossInput, 'embeddings' | 'labels'> = {}): number {
  const before = tf.memory().numTensors;
  const embeddings = tf.tensor2d(batch.embeddings);
  const value = loss.compute({ embeddings, labels: batch.labels, ...extra });
  const out = value.dataSync()[0] as number;
  tf.dispose([embeddings, value]);
  if (tf.memory().numTensors !== before) throw new Error(`loss.compute leaked ${tf.memory().numTensors - before} tensors`);
  return out;
}

const normalize = (x: number[]) => {
  const n = Math.max(Math.hypot(...x), 1e-12);
  return x.map((v) => v / n);
};
const dot = (x: number[], y: number[]) => x.reduce((s, v, k) => s + v * (y[k] as number), 0);

/** Cosine similarity between every row of `q` and every row of `r`. */
export function cosineMatrix(q: Matrix, r: Matrix): Matrix {
  const qq = q.map(normalize);
  const rr = r.map(normalize);
  return qq.map((x) => rr.map((y) => dot(x, y)));
}

/** Squared L2 distance between the normalised rows. */
export function squaredL2Matrix(q: Matrix): Matrix {
  const qq = q.map(normalize);
  return qq.map((x) => qq.map((y) => x.reduce((s, v, k) => s + (v - (y[k] as number)) ** 2, 0)));
}

const logSumExp = (xs: number[]) => {
  if (xs.length === 0) return 0;
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
};
const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);
const meanPositive = (xs: number[]) => mean(xs.filter((x) => x > 0));

/** Positives and negatives of anchor i (every other row with the same / another label). */
function neighbours(labels: number[], i: number): { pos: number[]; neg: number[] } {
  const pos: number[] = [];
  const neg: number[] = [];
  labels.forEach((l, j) => {
    if (l !== labels[i]) neg.push(j);
    else if (j !== i) pos.push(j);
  });
  return { pos, neg };
}

/** MultiSimilarityLoss with cosine similarity, mean over anchors. */
export function multiSimilarityRef(batch: LabelledBatch, o: { alpha: number; beta: number; base: number }): number {
  const s = cosineMatrix(batch.embeddings, batch.embeddings);
  const terms = batch.labels.map((_, i) => {
    const { pos, neg } = neighbours(batch.labels, i);
    const p = Math.log1p(pos.reduce((acc, j) => acc + Math.exp(-o.alpha * ((s[i]![j] as number) - o.base)), 0)) / o.alpha;
    const n = Math.log1p(neg.reduce((acc, j) => acc + Math.exp(o.beta * ((s[i]![j] as number) - o.base)), 0)) / o.beta;
    return p + n;
  });
  return mean(terms);
}

/** CircleLoss with cosine similarity, average over anchors with a non-zero loss. */
export function circleRef(batch: LabelledBatch, o: { m: number; gamma: number }): number {
  const s = cosineMatrix(batch.embeddings, batch.embeddings);
  const terms = batch.labels.map((_, i) => {
    const { pos, neg } = neighbours(batch.labels, i);
    if (pos.length === 0 || neg.length === 0) return 0;
    const lp = pos.map((j) => {
      const x = s[i]![j] as number;
      return -o.gamma * Math.max(0, 1 + o.m - x) * (x - (1 - o.m));
    });
    const ln = neg.map((j) => {
      const x = s[i]![j] as number;
      return o.gamma * Math.max(0, x + o.m) * (x - o.m);
    });
    return softplus(logSumExp(ln) + logSumExp(lp));
  });
  return meanPositive(terms);
}

/** SupConLoss with cosine similarity, average over anchors with a non-zero loss. */
export function supConRef(batch: LabelledBatch, o: { temperature: number }): number {
  const s = cosineMatrix(batch.embeddings, batch.embeddings);
  const terms = batch.labels.map((_, i) => {
    const { pos, neg } = neighbours(batch.labels, i);
    if (pos.length === 0) return 0;
    const denominator = logSumExp([...pos, ...neg].map((j) => (s[i]![j] as number) / o.temperature));
    return -mean(pos.map((j) => (s[i]![j] as number) / o.temperature - denominator));
  });
  return meanPositive(terms);
}

/** ProxyAnchorLoss with cosine similarity to `proxies` [C][D], divided as PML does. */
export function proxyAnchorRef(batch: LabelledBatch, proxies: Matrix, o: { margin: number; alpha: number }): number {
  const s = cosineMatrix(batch.embeddings, proxies);
  let pos = 0;
  let neg = 0;
  proxies.forEach((_, c) => {
    const inClass = batch.labels.map((l, i) => [l, i] as const).filter(([l]) => l === c);
    const others = batch.labels.map((l, i) => [l, i] as const).filter(([l]) => l !== c);
    if (inClass.length)
      pos += Math.log1p(inClass.reduce((a, [, i]) => a + Math.exp(-o.alpha * ((s[i]![c] as number) - o.margin)), 0));
    if (others.length)
      neg += Math.log1p(others.reduce((a, [, i]) => a + Math.exp(o.alpha * ((s[i]![c] as number) + o.margin)), 0));
  });
  return pos / new Set(batch.labels).size + neg / proxies.length;
}

/** ArcFaceLoss with class weights `W` [D][C], mean cross entropy. */
export function arcFaceRef(batch: LabelledBatch, W: Matrix, o: { margin: number; scale: number }): number {
  const columns = (W[0] as number[]).map((_, c) => W.map((row) => row[c] as number));
  const s = cosineMatrix(batch.embeddings, columns);
  const m = (o.margin * Math.PI) / 180;
  return mean(
    batch.labels.map((y, i) => {
      const logits = (s[i] as number[]).map((x, c) => {
        if (c !== y) return x * o.scale;
        const theta = Math.acos(Math.min(1, Math.max(-1, x)));
        return (theta <= Math.PI - m ? Math.cos(theta + m) : Math.cos(theta) - m * Math.sin(m)) * o.scale;
      });
      return logSumExp(logits) - (logits[y] as number);
    }),
  );
}

/** FastAPLoss with squared L2 distance on normalised rows (distances in [0, 4]). */
export function fastAPRef(batch: LabelledBatch, o: { numBins: number }): number {
  const d = squaredL2Matrix(batch.embeddings);
  const delta = 4 / o.numBins;
  const terms: number[] = [];
  batch.labels.forEach((_, i) => {
    const { pos, neg } = neighbours(batch.labels, i);
    if (pos.length === 0) return;
    const hist = (js: number[]) =>
      Array.from({ length: o.numBins + 1 }, (_, k) =>
        js.reduce((a, j) => a + Math.max(0, 1 - Math.abs((d[i]![j] as number) - k * delta) / delta), 0),
      );
    const hp = hist(pos);
    const hn = hist(neg);
    let cumPos = 0;
    let cumAll = 0;
    let ap = 0;
    for (let k = 0; k <= o.numBins; k++) {
      cumPos += hp[k] as number;
      cumAll += (hp[k] as number) + (hn[k] as number);
      const product = (hp[k] as number) * cumPos;
      if (product > 0 && cumAll > 0) ap += product / cumAll;
    }
    terms.push(1 - ap / pos.length);
  });
  return mean(terms);
}
