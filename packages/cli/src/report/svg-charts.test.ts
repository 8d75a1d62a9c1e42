import { describe, expect, it } from 'vitest';
import { lineChartSvg, scatterSvg } from './svg-charts.js';

/** Every opened element is closed (a cheap well-formedness check without an XML parser). */
function balanced(svg: string): boolean {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    const [, close, name, self] = m;
    if (self) continue;
    if (close) {
      if (stack.pop() !== name) return false;
    } else stack.push(name as string);
  }
  return stack.length === 0;
}

describe('SVG charts', () => {
  it('lineChartSvg draws one path per series with a legend entry, and escapes text', () => {
    const svg = lineChartSvg({
      title: 'Loss <per> step & epoch',
      xLabel: 'step',
      yLabel: 'loss',
      series: [
        {
          name: 'a',
          points: [
            [1, 0.5],
            [2, 0.4],
            [3, 0.3],
          ],
        },
        {
          name: 'b',
          points: [
            [1, 0.2],
            [3, 0.1],
          ],
          markers: true,
        },
      ],
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain('Loss &lt;per&gt; step &amp; epoch');
    expect(svg.match(/<circle /g)).toHaveLength(2);
    expect(balanced(svg)).toBe(true);
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('lineChartSvg skips non-finite points and survives a single point', () => {
    const svg = lineChartSvg({
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      series: [
        {
          name: 'a',
          points: [
            [0, Number.NaN],
            [1, 2],
          ],
        },
      ],
    });
    expect(svg).not.toMatch(/NaN/);
    expect(svg.match(/<circle /g)).toHaveLength(1);
  });

  it('scatterSvg colours points by class and lists class names in the legend', () => {
    const svg = scatterSvg({
      title: 'proj',
      points: Float32Array.of(0, 0, 1, 1, 2, 0),
      labels: Int32Array.of(5, 6, 5),
      classNames: ['0', '1', '2', '3', '4', 'five', 'six'],
    });
    expect(svg.match(/<circle /g)).toHaveLength(3 + 2);
    expect(svg).toContain('>five<');
    expect(svg).toContain('>six<');
    expect(balanced(svg)).toBe(true);
  });
});
