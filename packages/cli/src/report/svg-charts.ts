/** Colours of successive series and classes (d3's category10). */
export const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (x: number) => {
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1000 || a < 0.01) return x.toExponential(1);
  return Number(x.toPrecision(3)).toString();
};

/** About `count` round tick values covering [lo, hi]. */
function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Number(t.toFixed(12)));
  return out;
}

function extent(values: number[], pad = 0): [number, number] {
  const finite = values.filter(Number.isFinite);
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (!finite.length) return [0, 1];
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const p = (hi - lo) * pad;
  return [lo - p, hi + p];
}

/** One line of a {@link lineChartSvg}. */
export interface LineSeries {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
  readonly color?: string;
  /** Draw a marker at every point (for short series such as per-epoch metrics). */
  readonly markers?: boolean;
}

/**
 * A self-contained SVG line chart (axes, ticks, legend), no browser or library needed.
 *
 * @example
 * writeFileSync('loss.svg', lineChartSvg({ title: 'Loss', xLabel: 'step', yLabel: 'loss', series: [{ name: 'loss', points }] }));
 */
export function lineChartSvg(options: {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly LineSeries[];
  readonly width?: number;
  readonly height?: number;
  readonly yRange?: readonly [number, number];
  /** Only whole-number ticks on the x axis (epochs). Default false. */
  readonly integerX?: boolean;
}): string {
  const width = options.width ?? 700;
  const height = options.height ?? 360;
  // The legend sits in the right margin, clear of the lines.
  const m = { top: 40, right: 150, bottom: 50, left: 64 };
  const all = options.series.flatMap((s) => s.points);
  const [x0, x1] = extent(all.map((p) => p[0]));
  const [y0, y1] = options.yRange
    ? [options.yRange[0], options.yRange[1]]
    : extent(
        all.map((p) => p[1]),
        0.05,
      );
  const sx = (x: number) => m.left + ((x - x0) / (x1 - x0)) * (width - m.left - m.right);
  const sy = (y: number) => height - m.bottom - ((y - y0) / (y1 - y0)) * (height - m.top - m.bottom);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="600">${esc(options.title)}</text>`,
  );
  for (const t of ticks(y0, y1)) {
    parts.push(
      `<line x1="${m.left}" x2="${width - m.right}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" stroke="#e5e5e5"/>`,
      `<text x="${m.left - 6}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end" fill="#444">${fmt(t)}</text>`,
    );
  }
  const xTicks = ticks(x0, x1, 6).filter((t) => !options.integerX || Number.isInteger(t));
  for (const t of xTicks) {
    parts.push(
      `<line x1="${sx(t).toFixed(1)}" x2="${sx(t).toFixed(1)}" y1="${height - m.bottom}" y2="${height - m.bottom + 5}" stroke="#444"/>`,
      `<text x="${sx(t).toFixed(1)}" y="${height - m.bottom + 18}" text-anchor="middle" fill="#444">${fmt(t)}</text>`,
    );
  }
  parts.push(
    `<line x1="${m.left}" x2="${width - m.right}" y1="${height - m.bottom}" y2="${height - m.bottom}" stroke="#444"/>`,
    `<line x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${height - m.bottom}" stroke="#444"/>`,
    `<text x="${(m.left + width - m.right) / 2}" y="${height - 10}" text-anchor="middle">${esc(options.xLabel)}</text>`,
    `<text transform="translate(16 ${(m.top + height - m.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(options.yLabel)}</text>`,
  );
  options.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    const pts = s.points.filter((p) => Number.isFinite(p[1]));
    if (pts.length > 1) {
      const d = pts.map((p, k) => `${k === 0 ? 'M' : 'L'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join('');
      parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    }
    if (s.markers || pts.length === 1) {
      for (const p of pts)
        parts.push(`<circle cx="${sx(p[0]).toFixed(1)}" cy="${sy(p[1]).toFixed(1)}" r="3.5" fill="${color}"/>`);
    }
    const ly = m.top + 4 + i * 18;
    parts.push(
      `<rect x="${width - m.right + 14}" y="${ly - 9}" width="12" height="12" fill="${color}"/>`,
      `<text x="${width - m.right + 32}" y="${ly + 1}">${esc(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/**
 * A self-contained SVG scatter plot of labelled 2-D points, one colour per class, with a legend.
 *
 * @example
 * writeFileSync('projection.svg', scatterSvg({ title: 'Held-out digits', points, labels, classNames }));
 */
export function scatterSvg(options: {
  readonly title: string;
  /** `n x 2` coordinates. */
  readonly points: Float32Array;
  readonly labels: Int32Array;
  readonly classNames?: readonly string[] | undefined;
  readonly subtitle?: string;
  readonly width?: number;
  readonly height?: number;
}): string {
  const width = options.width ?? 520;
  const height = options.height ?? 480;
  const m = { top: 52, right: 110, bottom: 20, left: 20 };
  const n = options.labels.length;
  const xs = Array.from({ length: n }, (_, i) => options.points[2 * i] as number);
  const ys = Array.from({ length: n }, (_, i) => options.points[2 * i + 1] as number);
  const [x0, x1] = extent(xs, 0.03);
  const [y0, y1] = extent(ys, 0.03);
  const sx = (x: number) => m.left + ((x - x0) / (x1 - x0)) * (width - m.left - m.right);
  const sy = (y: number) => height - m.bottom - ((y - y0) / (y1 - y0)) * (height - m.top - m.bottom);
  const classes = [...new Set(options.labels)].sort((a, b) => a - b);
  const colorOf = (label: number) => PALETTE[classes.indexOf(label) % PALETTE.length] as string;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${(width - m.right) / 2}" y="22" text-anchor="middle" font-size="15" font-weight="600">${esc(options.title)}</text>`,
  ];
  if (options.subtitle)
    parts.push(`<text x="${(width - m.right) / 2}" y="40" text-anchor="middle" fill="#555">${esc(options.subtitle)}</text>`);
  parts.push(
    `<rect x="${m.left}" y="${m.top}" width="${width - m.left - m.right}" height="${height - m.top - m.bottom}" fill="none" stroke="#ccc"/>`,
  );
  for (let i = 0; i < n; i++) {
    parts.push(
      `<circle cx="${sx(xs[i] as number).toFixed(1)}" cy="${sy(ys[i] as number).toFixed(1)}" r="2.6" fill="${colorOf(options.labels[i] as number)}" fill-opacity="0.7"/>`,
    );
  }
  classes.forEach((c, i) => {
    const y = m.top + 8 + i * 18;
    const name = options.classNames?.[c] ?? String(c);
    parts.push(
      `<circle cx="${width - m.right + 16}" cy="${y}" r="5" fill="${colorOf(c)}"/>`,
      `<text x="${width - m.right + 26}" y="${y + 4}">${esc(name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}
