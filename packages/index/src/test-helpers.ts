import { createRng } from '@emb/core';

/** Seeded Gaussian rows, row-major. @internal (tests only) */
export function randomRows(n: number, dim: number, seed: number, scale = 1): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < out.length; i++) out[i] = rng.normal() * scale;
  return out;
}

/** Gaussian clusters: `classes` centres with `perClass` noisy points each, labels in order. @internal (tests only) */
export function clusteredRows(
  classes: number,
  perClass: number,
  dim: number,
  seed: number,
  spread = 0.5,
): { data: Float32Array; labels: Int32Array } {
  const rng = createRng(seed);
  const data = new Float32Array(classes * perClass * dim);
  const labels = new Int32Array(classes * perClass);
  for (let c = 0; c < classes; c++) {
    const centre = Array.from({ length: dim }, () => rng.normal());
    for (let p = 0; p < perClass; p++) {
      const row = c * perClass + p;
      labels[row] = c;
      for (let j = 0; j < dim; j++) data[row * dim + j] = (centre[j] as number) + rng.normal() * spread;
    }
  }
  return { data, labels };
}

/** Brute-force k-NN in float64: indices and values (distance for l2, similarity otherwise). @internal (tests only) */
export function bruteForce(
  ref: Float32Array,
  queries: Float32Array,
  dim: number,
  k: number,
  metric: 'l2' | 'cosine' | 'dot',
): { indices: number[][]; values: number[][] } {
  const n = ref.length / dim;
  const nq = queries.length / dim;
  const norm = (x: Float32Array, i: number) => {
    let s = 0;
    for (let j = 0; j < dim; j++) s += (x[i * dim + j] as number) ** 2;
    return Math.max(Math.sqrt(s), 1e-12);
  };
  const indices: number[][] = [];
  const values: number[][] = [];
  for (let q = 0; q < nq; q++) {
    const scored: [number, number][] = [];
    for (let r = 0; r < n; r++) {
      let v = 0;
      for (let j = 0; j < dim; j++) {
        const a = queries[q * dim + j] as number;
        const b = ref[r * dim + j] as number;
        v += metric === 'l2' ? (a - b) ** 2 : a * b;
      }
      if (metric === 'l2') v = Math.sqrt(v);
      if (metric === 'cosine') v /= norm(queries, q) * norm(ref, r);
      scored.push([v, r]);
    }
    scored.sort((x, y) => (metric === 'l2' ? x[0] - y[0] : y[0] - x[0]) || x[1] - y[1]);
    indices.push(scored.slice(0, k).map((s) => s[1]));
    values.push(scored.slice(0, k).map((s) => s[0]));
  }
  return { indices, values };
}
