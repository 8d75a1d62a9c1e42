import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runEmb } from './run-emb.test-util.js';

const plugin = fileURLToPath(new URL('../test/fixtures/unit-norm-plugin.mjs', import.meta.url));

describe('emb train, eval and index on a tiny config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'emb-train-'));
  const run = join(dir, 'run');
  const marker = join(dir, 'plugin-imported');
  beforeAll(assertBuilt);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const tiny = {
    dataset: { name: 'mnist-digits', perClass: 60 },
    split: { trainClasses: [0, 1, 2], testClasses: [5, 6, 7] },
    model: { kind: 'cnn', filters: [8], embeddingDim: 16 },
    batchSize: 48,
    epochs: 1,
    eval: { perClass: 20, enrolPerClass: 3, k: 1 },
  };

  it('emb train runs a config and saves the config, model, index, logs and report beside each other', async () => {
    const configPath = join(dir, 'emb.config.json');
    writeFileSync(configPath, JSON.stringify({ ...tiny, output: 'run' }));
    const { code, stdout, stderr } = await runEmb(['train', '--config', configPath, '--limit', '40'], {
      env: { EMB_TEST_PLUGIN_MARKER: marker },
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/untrained network on held-out classes: precision@1 \d\.\d{4} {2}MAP@R \d\.\d{4}/);
    expect(stdout).toMatch(/epoch 1\/1/);
    for (const f of [
      'emb.config.json',
      'model/model.json',
      'model/weights.bin',
      'index.embidx',
      'metrics.json',
      'log.jsonl',
      'report.html',
      'loss.svg',
      'metrics.svg',
      'projection.svg',
      'projection-before.svg',
    ]) {
      expect(existsSync(join(run, f)), f).toBe(true);
    }
    const saved = JSON.parse(readFileSync(join(run, 'emb.config.json'), 'utf8'));
    expect(saved.trainPerClass).toBe(40);
    expect(saved.loss).toEqual({ name: 'triplet-margin', options: { margin: 0.2 } });
    const metrics = JSON.parse(readFileSync(join(run, 'metrics.json'), 'utf8'));
    expect(metrics.data).toMatchObject({ train: 120, queries: 60, enrolled: 9 });
    expect(metrics.before.meanAveragePrecisionAtR).toBeGreaterThan(0);
    expect(metrics.after.meanAveragePrecisionAtR).toBeGreaterThan(0);
    expect(readFileSync(join(run, 'report.html'), 'utf8')).toContain('<svg');
    expect(readFileSync(join(run, 'log.jsonl'), 'utf8').split('\n')[0]).toContain('"type":"begin"');
    // No plugin was listed, so none was imported.
    expect(existsSync(marker)).toBe(false);
  });

  it('emb eval re-measures a saved run', async () => {
    const { code, stdout } = await runEmb(['eval', '--run', run, '--json']);
    expect(code).toBe(0);
    const out = JSON.parse(stdout.trim().split('\n').pop() as string);
    const metrics = JSON.parse(readFileSync(join(run, 'metrics.json'), 'utf8'));
    expect(out.queries).toBe(60);
    expect(out.meanAveragePrecisionAtR).toBeCloseTo(metrics.after.meanAveragePrecisionAtR, 5);
    expect(out.knnAccuracy).toBeCloseTo(metrics.after.knnAccuracy, 5);
  });

  it('emb index build, add, query and info grow an index without retraining', async () => {
    const index = join(dir, 'digits.embidx');
    const built = await runEmb([
      'index',
      'build',
      '--model',
      run,
      '--data',
      'mnist-digits',
      '--classes',
      '5,6',
      '--per-class',
      '5',
      '--out',
      index,
    ]);
    expect(built.code).toBe(0);
    expect(built.stdout).toContain('10 vectors of dimension 16');
    const added = await runEmb([
      'index',
      'add',
      '--index',
      index,
      '--model',
      run,
      '--data',
      'mnist-digits',
      '--classes',
      '9',
      '--per-class',
      '5',
    ]);
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('15 in all');
    const info = await runEmb(['index', 'info', '--index', index, '--json']);
    expect(JSON.parse(info.stdout)).toEqual({ size: 15, dim: 16, metric: 'cosine', labels: { 5: 5, 6: 5, 9: 5 } });
    const query = await runEmb([
      'index',
      'query',
      '--index',
      index,
      '--model',
      run,
      '--data',
      'mnist-digits',
      '--classes',
      '9',
      '--per-class',
      '2',
      '-k',
      '3',
      '--json',
    ]);
    expect(query.code).toBe(0);
    const rows = JSON.parse(query.stdout);
    expect(rows).toHaveLength(2);
    expect(rows[0].neighbours).toHaveLength(3);
    // The first two 9s were enrolled: each finds itself at distance ~0 (cosine similarity 1).
    expect(rows[0].neighbours[0].label).toBe(9);
    expect(rows[0].neighbours[0].distance).toBeCloseTo(1, 4);
  });

  it('emb index query classifies a PNG file, resized to the model input', async () => {
    const png = new PNG({ width: 40, height: 40 });
    for (let y = 0; y < 40; y++)
      for (let x = 0; x < 40; x++) png.data.set(Math.abs(x - 20) < 3 ? [255, 255, 255, 255] : [0, 0, 0, 255], 4 * (40 * y + x));
    const file = join(dir, 'one.png');
    writeFileSync(file, PNG.sync.write(png));
    const { code, stdout } = await runEmb([
      'index',
      'query',
      '--index',
      join(dir, 'digits.embidx'),
      '--model',
      run,
      '--image',
      file,
      '-k',
      '2',
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^query 0: predicted [569] {2}neighbours /m);
  });

  it('emb train imports the plugins a config lists and trains with their registry entries', async () => {
    const configPath = join(dir, 'plugin.config.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        ...tiny,
        plugins: [plugin],
        loss: 'acme/unit-norm',
        miner: null,
        trainPerClass: 16,
        eval: { perClass: 10, enrolPerClass: 2, k: 1 },
      }),
    );
    const { code, stderr } = await runEmb(['train', '--config', configPath, '--out', join(dir, 'plugin-run')], {
      env: { EMB_TEST_PLUGIN_MARKER: marker },
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(readFileSync(marker, 'utf8')).toBe('imported');
    const log = readFileSync(join(dir, 'plugin-run', 'log.jsonl'), 'utf8');
    expect(log).toContain('"type":"end"');
  });
});
