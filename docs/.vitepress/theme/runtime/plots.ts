// Small SVG charts for snippet output: a line (loss curve) and a scatter (embeddings projected
// to 2-D with PCA when they have more than two dimensions). No chart library: a few lines of SVG.
export interface LinePlot {
  readonly kind: 'line';
  readonly title: string;
  readonly values: readonly number[];
}
export interface ScatterPlot {
  readonly kind: 'scatter';
  readonly title: string;
  readonly points: readonly (readonly number[])[];
  readonly labels?: readonly number[];
}
export type Plot = LinePlot | ScatterPlot;

export const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

export function isPlot(x: unknown): x is Plot {
  if (!x || typeof x !== 'object') return false;
  const p = x as Record<string, unknown>;
  return (p.kind === 'line' && Array.isArray(p.values)) || (p.kind === 'scatter' && Array.isArray(p.points));
}

const W = 360;
const H = 220;
const PAD = 34;
const esc = (s: string) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

export function lineSvg(p: LinePlot): string {
  const v = p.values.filter(Number.isFinite);
  const lo = Math.min(...v, 0);
  const hi = Math.max(...v) || 1;
  const x = (i: number) => PAD + (i / Math.max(1, p.values.length - 1)) * (W - 2 * PAD);
  const y = (val: number) => H - PAD - ((val - lo) / (hi - lo || 1)) * (H - 2 * PAD);
  const path = p.values.map((val, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(val).toFixed(1)}`).join('');
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(p.title)}" class="plot plot-line">
<text x="${W / 2}" y="16" text-anchor="middle" font-size="12" fill="currentColor">${esc(p.title)}</text>
<line x1="${PAD}" y1="${H - PAD}" x2="${W - PAD}" y2="${H - PAD}" stroke="#999"/><line x1="${PAD}" y1="${PAD}" x2="${PAD}" y2="${H - PAD}" stroke="#999"/>
<text x="${PAD - 4}" y="${y(hi) + 4}" text-anchor="end" font-size="10" fill="currentColor">${hi.toFixed(2)}</text>
<text x="${PAD - 4}" y="${y(lo) + 4}" text-anchor="end" font-size="10" fill="currentColor">${lo.toFixed(2)}</text>
<text x="${W - PAD}" y="${H - PAD + 14}" text-anchor="end" font-size="10" fill="currentColor">step ${p.values.length}</text>
<path d="${path}" fill="none" stroke="${PALETTE[0]}" stroke-width="2"/></svg>`;
}

/** Projects rows onto their first two principal components (power iteration, deflation). */
export function project2d(points: readonly (readonly number[])[]): [number, number][] {
  const n = points.length;
  const d = points[0]?.length ?? 0;
  if (d <= 2) return points.map((r) => [r[0] ?? 0, r[1] ?? 0]);
  const mean = new Array<number>(d).fill(0);
  for (const r of points) for (let j = 0; j < d; j++) mean[j]! += r[j]! / n;
  const c = points.map((r) => r.map((v, j) => v - mean[j]!));
  const comps: number[][] = [];
  for (let k = 0; k < 2; k++) {
    let v = Array.from({ length: d }, (_, j) => 1 / (j + 1 + k));
    for (let it = 0; it < 100; it++) {
      const w = new Array<number>(d).fill(0);
      for (const r of c) {
        const dot = r.reduce((s, x, j) => s + x * v[j]!, 0);
        for (let j = 0; j < d; j++) w[j]! += dot * r[j]!;
      }
      for (const u of comps) {
        const dot = w.reduce((s, x, j) => s + x * u[j]!, 0);
        for (let j = 0; j < d; j++) w[j]! -= dot * u[j]!;
      }
      const norm = Math.hypot(...w) || 1;
      v = w.map((x) => x / norm);
    }
    comps.push(v);
  }
  return c.map((r) => [r.reduce((s, x, j) => s + x * comps[0]![j]!, 0), r.reduce((s, x, j) => s + x * comps[1]![j]!, 0)]);
}

export function scatterSvg(p: ScatterPlot): string {
  const pts = project2d(p.points);
  const xs = pts.map((q) => q[0]);
  const ys = pts.map((q) => q[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const sx = (v: number) => PAD + ((v - x0) / (x1 - x0 || 1)) * (W - 2 * PAD);
  const sy = (v: number) => H - PAD - ((v - y0) / (y1 - y0 || 1)) * (H - 2 * PAD);
  const dots = pts
    .map(
      ([a, b], i) =>
        `<circle cx="${sx(a).toFixed(1)}" cy="${sy(b).toFixed(1)}" r="3.5" fill="${PALETTE[(p.labels?.[i] ?? 0) % PALETTE.length]}" fill-opacity="0.85"/>`,
    )
    .join('');
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(p.title)}" class="plot plot-scatter">
<text x="${W / 2}" y="16" text-anchor="middle" font-size="12" fill="currentColor">${esc(p.title)}${(p.points[0]?.length ?? 0) > 2 ? ' (PCA)' : ''}</text>
<rect x="${PAD}" y="${PAD}" width="${W - 2 * PAD}" height="${H - 2 * PAD}" fill="none" stroke="#999"/>${dots}</svg>`;
}

export function plotSvg(p: Plot): string {
  return p.kind === 'line' ? lineSvg(p) : scatterSvg(p);
}
