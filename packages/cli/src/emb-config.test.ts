import { isEmbError } from '@emb/core';
import { describe, expect, it } from 'vitest';
import { parseEmbConfig } from './emb-config.js';

function problems(input: unknown): string[] {
  try {
    parseEmbConfig(input, 'my.config.json');
  } catch (e) {
    expect(isEmbError(e, 'INVALID_OPTION')).toBe(true);
    expect((e as Error).message).toMatch(/^my\.config\.json is not a valid emb config:/);
    return (e as { details: { issues: string[] } }).details.issues;
  }
  throw new Error('expected the config to be rejected');
}

describe('parseEmbConfig', () => {
  it('parseEmbConfig fills every default around a minimal config', () => {
    const c = parseEmbConfig({ dataset: { name: 'mnist-digits' } });
    expect(c.model).toEqual({ kind: 'cnn', filters: [32, 64], embeddingDim: 128 });
    expect(c.epochs).toBe(2);
    expect(c.batchSize).toBe(128);
    expect(c.plugins).toEqual([]);
    expect(c.backend).toBe('wasm');
    expect(c.eval.enrolPerClass).toBe(5);
  });

  it('parseEmbConfig reports each wrong field on its own line with its path and value', () => {
    const lines = problems({
      dataset: { name: 'mnist-digits', perClass: -3 },
      model: { kind: 'cnn', embeddingDim: 'big' },
      epochs: 1.5,
      backend: 'gpu',
    });
    expect(lines).toHaveLength(4);
    expect(lines.find((l) => l.startsWith('config.dataset.perClass:'))).toMatch(/received -3/);
    expect(lines.find((l) => l.startsWith('config.model.embeddingDim:'))).toMatch(/received "big"/);
    expect(lines.find((l) => l.startsWith('config.epochs:'))).toMatch(/Received 1.5/);
    expect(lines.find((l) => l.startsWith('config.backend:'))).toMatch(/"wasm" \| "cpu".*received "gpu"/);
  });

  it('parseEmbConfig names unknown fields and unknown dataset names', () => {
    expect(problems({ dataset: { name: 'mnist-digits' }, epoch: 3 })).toEqual([
      'config.epoch: unknown field (remove it or check its spelling)',
    ]);
    const [line] = problems({ dataset: { name: 'cifar' } });
    expect(line).toMatch(/^config\.dataset\.name: .*"mnist-digits".*received "cifar"/);
    expect(problems({})[0]).toMatch(/^config\.dataset:/);
  });

  it('parseEmbConfig accepts registry components as names or { name, options }', () => {
    const c = parseEmbConfig({
      dataset: { name: 'fashion-mnist' },
      loss: 'contrastive',
      miner: null,
      sampler: { name: 'm-per-class', options: { m: 32 } },
      plugins: ['@acme/emb-plugin-x'],
    });
    expect(c.loss).toBe('contrastive');
    expect(c.miner).toBeNull();
    expect(c.plugins).toEqual(['@acme/emb-plugin-x']);
    expect(problems({ dataset: { name: 'mnist-digits' }, loss: { name: 'x', opts: {} } })).toEqual([
      'config.loss.opts: unknown field (remove it or check its spelling)',
    ]);
    expect(problems({ dataset: { name: 'mnist-digits' }, optimizer: { name: 'adamw' } })[0]).toMatch(
      /^config\.optimizer\.name: .*"adam".*received "adamw"/,
    );
  });
});
