import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@emb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from './build-model.js';
import { saveLayersModel } from './model-files.js';
import { assertBuilt, runEmb } from './run-emb.test-util.js';

describe('emb index with --index-type hnsw (@emb/plugin-ann)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'emb-cli-hnsw-'));
  const model = join(dir, 'model');
  const file = join(dir, 'digits.hnsw');
  beforeAll(async () => {
    assertBuilt();
    await initBackend({ backend: 'wasm', quiet: true });
    // An untrained network is enough: the index stores whatever vectors it produces.
    const m = await buildModel({ kind: 'cnn', filters: [4], embeddingDim: 16 }, [28, 28, 1], 0);
    await saveLayersModel(m, model);
    m.dispose();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('emb index build --index-type hnsw builds an HNSW file that add, info and query open by its contents', async () => {
    const data = ['--model', model, '--data', 'mnist-digits', '--per-class', '5'];
    const built = await runEmb([
      'index',
      'build',
      ...data,
      '--classes',
      '5,6',
      '--index-type',
      'hnsw',
      '--index-options',
      '{"M":8,"efSearch":32}',
      '--out',
      file,
    ]);
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    expect(built.stdout).toContain('10 vectors of dimension 16 (cosine, hnsw)');
    expect(readFileSync(file).subarray(0, 8).toString('latin1')).toBe('EMBHNSW1');
    const added = await runEmb(['index', 'add', '--index', file, ...data, '--classes', '9']);
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('15 in all');
    const info = await runEmb(['index', 'info', '--index', file, '--json']);
    expect(JSON.parse(info.stdout)).toEqual({ size: 15, dim: 16, metric: 'cosine', labels: { 5: 5, 6: 5, 9: 5 }, type: 'hnsw' });
    const query = await runEmb(['index', 'query', '--index', file, ...data, '--classes', '9', '-k', '3', '--json']);
    expect(query.code).toBe(0);
    const rows = JSON.parse(query.stdout);
    expect(rows).toHaveLength(5);
    // The 9s were enrolled: each finds itself first, at cosine similarity ~1.
    expect(rows[0].neighbours[0].label).toBe(9);
    expect(rows[0].neighbours[0].distance).toBeCloseTo(1, 4);
  });

  it('emb index build rejects an unknown --index-type and bad --index-options, naming them', async () => {
    const base = ['index', 'build', '--model', model, '--data', 'mnist-digits', '--per-class', '1', '--out', join(dir, 'x')];
    const unknown = await runEmb([...base, '--index-type', 'faiss']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`--index-type "faiss" is not an index the CLI knows; use 'exact' or 'hnsw'`);
    const badJson = await runEmb([...base, '--index-type', 'hnsw', '--index-options', '{M:8}']);
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toContain('--index-options must be a JSON object');
    const badOption = await runEmb([...base, '--index-type', 'hnsw', '--index-options', '{"M":0}']);
    expect(badOption.code).toBe(1);
    expect(badOption.stderr).toMatch(/M/);
  });
});
