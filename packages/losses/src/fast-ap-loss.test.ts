import { EmbError, initBackend } from '@emb/core';
import { cosineSimilarity } from '@emb/distance';
import { closeness } from '@emb/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeLoss, fastAPRef, makeBatch, shuffleBatch } from '../test/matrix-losses-reference.js';
import { fastAPLoss } from './index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe('fastAPLoss', () => {
  const batch = makeBatch('fast-ap', 10, 5, 3);

  it('equals a plain-loops float64 computation of the binned average precision', () => {
    for (const numBins of [10, 5, 3]) {
      const value = computeLoss(fastAPLoss({ numBins }), batch);
      expect(closeness(value, fastAPRef(batch, { numBins }), { rtol: 1e-4, label: `numBins=${numBins}` })).toBeNull();
    }
  });

  it('does not depend on the order of the batch', () => {
    const loss = fastAPLoss();
    const shuffled = shuffleBatch(batch, 'fast-ap-order');
    expect(closeness(computeLoss(loss, shuffled), computeLoss(loss, batch), { rtol: 1e-5 })).toBeNull();
  });

  it('is 0 when no anchor has a positive', () => {
    expect(computeLoss(fastAPLoss(), { embeddings: batch.embeddings.slice(0, 4), labels: [0, 1, 2, 3] })).toBe(0);
  });

  it('rejects a distance other than a normalised L2 lpDistance', () => {
    expect(() => fastAPLoss({ distance: cosineSimilarity() })).toThrow(EmbError);
  });
});
