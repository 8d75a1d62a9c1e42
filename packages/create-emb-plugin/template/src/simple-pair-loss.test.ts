import { initBackend, type RegistryEntry } from '@emb/core';
import { describeLoss } from '@emb/testkit';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { __IDENT__Plugin, simplePairLoss } from './index.js';

// The conformance suite every plugin runs: registry creation, gradients against finite
// differences, the connected zero, permutation invariance, reference embeddings, leaks.
describeLoss(__IDENT__Plugin.entries[0] as RegistryEntry<'loss', never>);

describe('simplePairLoss', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });

  it('simplePairLoss equals the mean positive distance plus the mean negative hinge, by hand', () => {
    // Unit vectors at 0, 90 and 180 degrees: distances 0-1: sqrt(2), 0-2: 2, 1-2: sqrt(2).
    const embeddings = tf.tensor2d([
      [1, 0],
      [0, 1],
      [-1, 0],
    ]);
    // Labels [0, 0, 1]: positive pairs (0,1), (1,0): mean sqrt(2). Negatives: (0,2), (2,0) at 2
    // and (1,2), (2,1) at sqrt(2), all beyond margin 1.5 but sqrt(2): hinge 1.5 - sqrt(2) twice of four.
    const loss = simplePairLoss({ margin: 1.5 });
    const value = tf.tidy(() => loss.compute({ embeddings, labels: [0, 0, 1] }).dataSync()[0] as number);
    const expected = Math.SQRT2 + (2 * (1.5 - Math.SQRT2)) / 4;
    expect(Math.abs(value - expected)).toBeLessThan(1e-5);
    embeddings.dispose();
  });

  it('simplePairLoss uses only the pairs of a miner tuple when one is given', () => {
    const embeddings = tf.tensor2d([
      [1, 0],
      [0, 1],
      [-1, 0],
    ]);
    const loss = simplePairLoss({ margin: 1.5 });
    const indices = { kind: 'pairs' as const, posAnchors: [0], positives: [1], negAnchors: [1], negatives: [2] };
    const value = tf.tidy(() => loss.compute({ embeddings, labels: [0, 0, 1], indices }).dataSync()[0] as number);
    expect(Math.abs(value - (Math.SQRT2 + 1.5 - Math.SQRT2))).toBeLessThan(1e-5);
    embeddings.dispose();
  });

  it('simplePairLoss rejects a negative margin and quotes it', () => {
    expect(() => simplePairLoss({ margin: -1 })).toThrow(/-1/);
  });
});
