import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pca2d } from './pca-2d.js';
import { type LineSeries, lineChartSvg, scatterSvg } from './svg-charts.js';

/** Everything the report shows. */
export interface ReportInput {
  readonly title: string;
  readonly summary: readonly string[];
  /** Rows of the before/after table: name, untrained, trained. */
  readonly table: readonly { readonly name: string; readonly before: number; readonly after: number }[];
  /** The loss of every optimizer step. */
  readonly stepLosses: readonly number[];
  /** Steps per epoch (to place per-epoch points). */
  readonly stepsPerEpoch: number;
  /** Evaluations: epochs done (0 = untrained) and metrics. */
  readonly evaluations: readonly { readonly epoch: number; readonly metrics: Readonly<Record<string, number>> }[];
  /** Held-out query embeddings before and after training (`count x dim`), with labels. */
  readonly projections: readonly {
    readonly name: string;
    readonly file: string;
    readonly vectors: Float32Array;
    readonly dim: number;
  }[];
  readonly labels: Int32Array;
  readonly classNames: readonly string[] | undefined;
  readonly config: unknown;
}

const METRIC_NAMES: Readonly<Record<string, string>> = {
  precisionAt1: 'precision@1',
  meanAveragePrecisionAtR: 'MAP@R',
  rPrecision: 'R-precision',
  meanAveragePrecision: 'MAP',
  meanReciprocalRank: 'MRR',
  nmi: 'NMI',
  ami: 'AMI',
  knnAccuracy: 'k-NN accuracy',
};

/** A readable name for an accuracy metric (`meanAveragePrecisionAtR` → `MAP@R`). */
export const metricLabel = (key: string) => METRIC_NAMES[key] ?? key;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Writes the run report into `dir`: `loss.svg` (loss per step and per-epoch mean),
 * `metrics.svg` (held-out metrics per epoch, epoch 0 = untrained), one `projection*.svg` per
 * entry of `projections` (PCA of the held-out embeddings coloured by class) and
 * `report.html`, which shows them all inline with the before/after table and the config.
 * Returns the files written.
 */
export async function writeReport(dir: string, input: ReportInput): Promise<string[]> {
  const files: Record<string, string> = {};
  const lossPoints = input.stepLosses.map((l, i) => [i + 1, l] as const);
  const epochMeans: [number, number][] = [];
  for (let start = 0; start < input.stepLosses.length; start += input.stepsPerEpoch) {
    const part = input.stepLosses.slice(start, start + input.stepsPerEpoch);
    epochMeans.push([start + part.length, part.reduce((a, b) => a + b, 0) / part.length]);
  }
  files['loss.svg'] = lineChartSvg({
    title: 'Training loss',
    xLabel: 'optimizer step',
    yLabel: 'loss',
    series: [
      { name: 'loss per step', points: lossPoints, color: '#9ecae1' },
      { name: 'epoch mean', points: epochMeans, color: '#08519c', markers: true },
    ],
  });
  const metricKeys = [...new Set(input.evaluations.flatMap((e) => Object.keys(e.metrics)))];
  const series: LineSeries[] = metricKeys.map((key) => ({
    name: metricLabel(key),
    points: input.evaluations.map((e) => [e.epoch, e.metrics[key] ?? Number.NaN] as const),
    markers: true,
  }));
  files['metrics.svg'] = lineChartSvg({
    title: 'Held-out retrieval (classes never trained on)',
    xLabel: 'epochs trained (0 = untrained)',
    yLabel: 'metric',
    series,
    yRange: [0, 1],
    integerX: true,
  });
  for (const p of input.projections) {
    const count = input.labels.length;
    const { points, explained } = pca2d(p.vectors, count, p.dim);
    files[p.file] = scatterSvg({
      title: p.name,
      subtitle: `PCA of ${count} held-out embeddings (${(100 * (explained[0] + explained[1])).toFixed(0)}% of the variance)`,
      points,
      labels: input.labels,
      classNames: input.classNames,
    });
  }
  const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : 'n/a');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(input.title)}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; } td, th { border: 1px solid #ccc; padding: 4px 12px; text-align: right; }
th:first-child, td:first-child { text-align: left; } .plots { display: flex; flex-wrap: wrap; gap: 16px; }
pre { background: #f6f6f6; padding: 1em; overflow: auto; font-size: 12px; }
</style></head><body>
<h1>${esc(input.title)}</h1>
<ul>${input.summary.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>
<h2>Held-out classes, before and after training</h2>
<table><tr><th>metric</th><th>untrained network</th><th>trained network</th></tr>
${input.table.map((r) => `<tr><td>${esc(r.name)}</td><td>${fmt(r.before)}</td><td>${fmt(r.after)}</td></tr>`).join('\n')}
</table>
<div class="plots">
${Object.entries(files)
  .map(
    ([name, svg]) =>
      `<figure>${svg.replace(/^<svg /, `<svg aria-label="${esc(name)}" `)}<figcaption>${esc(name)}</figcaption></figure>`,
  )
  .join('\n')}
</div>
<h2>Configuration</h2>
<pre>${esc(JSON.stringify(input.config, null, 2))}</pre>
</body></html>
`;
  await Promise.all(Object.entries(files).map(([name, svg]) => writeFile(join(dir, name), svg)));
  await writeFile(join(dir, 'report.html'), html);
  return [...Object.keys(files), 'report.html'];
}
