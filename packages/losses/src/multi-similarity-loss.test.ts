import { initBackend } from '@emb/core';
import { closeness } from '@emb/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeLoss, makeBatch, multiSimilarityRef, shuffleBatch } from '../test/matrix-losses-reference.js';
import { multiSimilarityLoss } from './index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe('multiSimilarityLoss', () => {
  const batch = makeBatch('multi-similarity', 10, 5, 3);

  it('equals a plain-loops float64 computation over all pairs', () => {
    for (const o of [
      { alpha: 2, beta: 50, base: 0.5 },
      { alpha: 1, beta: 10, base: 0.3 },
    ]) {
      const value = computeLoss(multiSimilarityLoss(o), batch);
      expect(closeness(value, multiSimilarityRef(batch, o), { rtol: 1e-4, label: JSON.stringify(o) })).toBeNull();
    }
  });

  it('does not depend on the order of the batch', () => {
    const loss = multiSimilarityLoss();
    const shuffled = shuffleBatch(batch, 'multi-similarity-order');
    expect(closeness(computeLoss(loss, shuffled), computeLoss(loss, batch), { rtol: 1e-5 })).toBeNull();
  });

  it('counts a pair listed twice once, as PML masks do', () => {
    const loss = multiSimilarityLoss();
    const once = { kind: 'pairs' as const, posAnchors: [0, 1], positives: [3, 4], negAnchors: [0, 2], negatives: [1, 5] };
    const twice = { ...once, posAnchors: [0, 0, 1], positives: [3, 3, 4] };
    expect(computeLoss(loss, batch, { indices: twice })).toBeCloseTo(computeLoss(loss, batch, { indices: once }), 6);
  });

  it('ignores a tuple with at most one pair per side, as PML does', () => {
    const indices = { kind: 'triplets' as const, anchors: [0], positives: [3], negatives: [1] };
    expect(computeLoss(multiSimilarityLoss(), batch, { indices })).toBe(0);
  });
});
