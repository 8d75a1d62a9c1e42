import { initBackend, isEmbError, type MinerOutput, type PairIndices } from '@emb/core';
import { lpDistance } from '@emb/distance';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchEasyHardMiner } from './index.js';

describe('batchEasyHardMiner', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });

  it('rejects the strategy combinations PML rejects', () => {
    for (const bad of [
      { posStrategy: 'semihard', negStrategy: 'semihard' },
      { posStrategy: 'semihard', negStrategy: 'all' },
      { posStrategy: 'all', negStrategy: 'semihard' },
    ] as const) {
      expect(() => batchEasyHardMiner(bad)).toThrow(/semihard/);
    }
  });

  it('quotes an unknown strategy in an INVALID_OPTION error', () => {
    let error: unknown;
    try {
      batchEasyHardMiner({ posStrategy: 'medium' as 'easy' });
    } catch (e) {
      error = e;
    }
    expect(isEmbError(error, 'INVALID_OPTION')).toBe(true);
    expect((error as Error).message).toContain('"medium"');
  });

  it('pairs the closest positive with the closest negative farther than it (easy / semihard)', () => {
    // From anchor 0: positives 1 at 0.2 and 2 at 1.0; negatives 3 at 0.1 and 4 at 0.5.
    const embeddings = tf.tensor2d([[0], [0.2], [1.0], [0.1], [0.5]]);
    const miner = batchEasyHardMiner({ distance: lpDistance({ normalizeEmbeddings: false }) });
    const out = miner.mine({ embeddings, labels: [0, 0, 0, 1, 1] }) as PairIndices;
    expect([out.posAnchors[0], out.positives[0], out.negAnchors[0], out.negatives[0]]).toEqual([0, 1, 0, 4]);
    embeddings.dispose();
  });

  it("keeps every positive pair with posStrategy 'all'", () => {
    const embeddings = tf.tensor2d([[0], [0.2], [1.0], [0.1], [0.5]]);
    const miner = batchEasyHardMiner({
      posStrategy: 'all',
      negStrategy: 'hard',
      distance: lpDistance({ normalizeEmbeddings: false }),
    });
    const out: MinerOutput = miner.mine({ embeddings, labels: [0, 0, 0, 1, 1] });
    expect(out.stats.numPositivePairs).toBe(8); // 3 x 2 + 2 x 1
    expect(out.stats.numNegativePairs).toBe(5); // one per anchor
    embeddings.dispose();
  });
});
