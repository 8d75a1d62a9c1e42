/**
 * Projects `count` vectors of `dim` values onto their first two principal components
 * (centred; components by power iteration with deflation, deterministic start), for a 2-D
 * picture of an embedding. Returns `count x 2` coordinates and the variance share of each axis.
 *
 * @example
 * const { points, explained } = pca2d(vectors, 1000, 128);
 */
export function pca2d(vectors: Float32Array, count: number, dim: number): { points: Float32Array; explained: [number, number] } {
  const mean = new Float64Array(dim);
  for (let i = 0; i < count; i++)
    for (let j = 0; j < dim; j++) mean[j] = (mean[j] as number) + (vectors[i * dim + j] as number) / count;
  const cov = new Float64Array(dim * dim);
  const row = new Float64Array(dim);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < dim; j++) row[j] = (vectors[i * dim + j] as number) - (mean[j] as number);
    for (let a = 0; a < dim; a++) {
      const ra = row[a] as number;
      if (ra === 0) continue;
      for (let b = a; b < dim; b++) cov[a * dim + b] = (cov[a * dim + b] as number) + ra * (row[b] as number);
    }
  }
  for (let a = 0; a < dim; a++) for (let b = 0; b < a; b++) cov[a * dim + b] = cov[b * dim + a] as number;
  let trace = 0;
  for (let a = 0; a < dim; a++) trace += cov[a * dim + a] as number;

  const components: Float64Array[] = [];
  const eigenvalues: number[] = [];
  for (let c = 0; c < 2; c++) {
    let v = new Float64Array(dim).map((_, j) => 1 + ((j * 7919 + c * 104729) % 13) / 13);
    let lambda = 0;
    for (let it = 0; it < 300; it++) {
      const w = new Float64Array(dim);
      for (let a = 0; a < dim; a++) {
        let s = 0;
        for (let b = 0; b < dim; b++) s += (cov[a * dim + b] as number) * (v[b] as number);
        w[a] = s;
      }
      // Deflate the components already found.
      for (const u of components) {
        let d = 0;
        for (let a = 0; a < dim; a++) d += (w[a] as number) * (u[a] as number);
        for (let a = 0; a < dim; a++) w[a] = (w[a] as number) - d * (u[a] as number);
      }
      const norm = Math.hypot(...w);
      if (norm === 0) break;
      const next = w.map((x) => x / norm);
      const change = next.reduce((s, x, a) => s + Math.abs(x - (v[a] as number)), 0);
      v = next;
      lambda = norm;
      if (change < 1e-9) break;
    }
    components.push(v);
    eigenvalues.push(lambda);
  }
  const points = new Float32Array(count * 2);
  for (let i = 0; i < count; i++) {
    for (let c = 0; c < 2; c++) {
      let s = 0;
      const u = components[c] as Float64Array;
      for (let j = 0; j < dim; j++) s += ((vectors[i * dim + j] as number) - (mean[j] as number)) * (u[j] as number);
      points[i * 2 + c] = s;
    }
  }
  const share = (l: number | undefined) => (trace > 0 ? (l ?? 0) / trace : 0);
  return { points, explained: [share(eigenvalues[0]), share(eigenvalues[1])] };
}
