import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runEmb } from './run-emb.test-util.js';

// Small enough for a test, large enough that training measurably helps on the held-out digits.
// Where @emb/datasets looks for Debian's dataset-fashion-mnist (the test skips without it).
const fashionInstalled = existsSync(
  join(process.env.EMB_FASHION_MNIST_DIR || '/usr/share/datasets/fashion-mnist', 't10k-labels-idx1-ubyte.gz'),
);

const FAST = ['--epochs', '1', '--limit', '120', '--eval-per-class', '30', '--batch-size', '100'];

describe('emb demo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'emb-demo-'));
  beforeAll(assertBuilt);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('emb demo trains on digits 0-4, improves held-out MAP@R on 5-9, and writes model, index and report', async () => {
    const { code, stdout, stderr } = await runEmb(['demo', ...FAST], { cwd: dir });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const line = stdout.match(/held-out MAP@R: untrained (\d\.\d+) -> trained (\d\.\d+)/);
    expect(line).not.toBeNull();
    expect(Number(line?.[2])).toBeGreaterThan(Number(line?.[1]));
    const out = join(dir, 'emb-demo-output');
    for (const f of [
      'emb.config.json',
      'model/model.json',
      'index.embidx',
      'metrics.json',
      'report.html',
      'loss.svg',
      'metrics.svg',
      'projection.svg',
    ]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.data).toMatchObject({
      trainClasses: [0, 1, 2, 3, 4],
      testClasses: [5, 6, 7, 8, 9],
      train: 600,
      queries: 150,
      enrolled: 25,
    });
    expect(metrics.after.knnAccuracy).toBeGreaterThan(0.5);
    const report = readFileSync(join(out, 'report.html'), 'utf8');
    expect(report).toContain('MAP@R');
    expect(report.match(/<svg /g)?.length).toBe(4);
  });

  it('emb demo --dataset fashion-mnist says how to install Fashion-MNIST when it is missing', async () => {
    const { code, stderr } = await runEmb(['demo', '--dataset', 'fashion-mnist', ...FAST], {
      cwd: dir,
      env: { EMB_FASHION_MNIST_DIR: join(dir, 'no-fashion-here') },
    });
    expect(code).toBe(1);
    expect(stderr).toContain('NOT_FOUND');
    expect(stderr).toContain('apt-get install dataset-fashion-mnist');
  });

  it.skipIf(!fashionInstalled)(
    'emb demo --dataset fashion-mnist trains on the train split 0-4 and evaluates the test split 5-9',
    async () => {
      const out = join(dir, 'fashion');
      const { code, stdout } = await runEmb(['demo', '--dataset', 'fashion-mnist', '--out', out, ...FAST], { cwd: dir });
      expect(stdout).toContain('Fashion-MNIST');
      expect(stdout).toContain('held out classes Sandal, Shirt, Sneaker, Bag, Ankle boot');
      expect(code).toBe(0);
      expect(stdout).toMatch(/held-out MAP@R: untrained \d\.\d+ -> trained \d\.\d+/);
      const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
      expect(metrics.data.source).toBe('fashion-mnist-train');
      expect(metrics.data.queries).toBe(150);
    },
  );
});
