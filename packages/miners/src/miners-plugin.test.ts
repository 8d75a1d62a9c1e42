import { createRegistry, initBackend, isEmbError } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { minersPlugin } from './index.js';

const minerNames = [
  'all-pairs',
  'all-triplets',
  'batch-easy-hard',
  'batch-hard',
  'distance-weighted',
  'hardest-negative',
  'multi-similarity',
  'pair-margin',
  'random-pairs',
  'random-triplets',
  'triplet-margin',
];

describe('minersPlugin', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });

  it('registers every miner and sampler under its kebab-case name', () => {
    const registry = createRegistry();
    registry.use(minersPlugin);
    expect(registry.list('miner').map((e) => e.name)).toEqual(minerNames);
    expect(registry.list('sampler').map((e) => e.name)).toEqual(['class-balanced', 'm-per-class']);
  });

  it('creates working miners with default options', () => {
    const registry = createRegistry();
    registry.use(minersPlugin);
    const embeddings = tf.randomNormal([8, 4], 0, 1, 'float32', 2) as tf.Tensor2D;
    const labels = [0, 0, 1, 1, 2, 2, 3, 3];
    for (const name of minerNames) {
      const miner = registry.create('miner', name, name === 'distance-weighted' ? { nonzeroLossCutoff: 2 } : {});
      expect(miner.name).toBe(name);
      const out = miner.mine({ embeddings, labels });
      expect(out.kind).toBe(miner.outputKind);
    }
    embeddings.dispose();
  });

  it('validates options against the schema and quotes the bad value', () => {
    const registry = createRegistry();
    registry.use(minersPlugin);
    let error: unknown;
    try {
      registry.create('miner', 'triplet-margin', { typeOfTriplets: 'semi-hard' });
    } catch (e) {
      error = e;
    }
    expect(isEmbError(error, 'INVALID_OPTION')).toBe(true);
    expect((error as Error).message).toContain('"semi-hard"');
    expect(() => registry.create('sampler', 'm-per-class', {})).toThrow(/"m"/);
  });
});
