import { initBackend } from '@emb/core';
import { cosineSimilarity } from '@emb/distance';
import { beforeAll, describe, expect, it } from 'vitest';
import { lossValue } from '../test/loss-value.js';
import { generalizedLiftedRef, permute, randomBatch, shuffled } from '../test/pair-losses-reference.js';
import { generalizedLiftedStructureLoss } from './index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe('generalizedLiftedStructureLoss', () => {
  const batch = randomBatch('genlifted', 10, 4, 3);

  it('equals a plain-loops float64 computation over every element', () => {
    expect(lossValue(generalizedLiftedStructureLoss(), batch.embeddings, batch.labels)).toBeCloseTo(
      generalizedLiftedRef(batch, { negMargin: 1, posMargin: 0, metric: 'lp' }),
      4,
    );
    const cos = generalizedLiftedStructureLoss({ negMargin: 0.2, posMargin: 0.9, distance: cosineSimilarity() });
    expect(lossValue(cos, batch.embeddings, batch.labels)).toBeCloseTo(
      generalizedLiftedRef(batch, { negMargin: 0.2, posMargin: 0.9, metric: 'cosine' }),
      4,
    );
  });

  it('does not depend on the order of the batch', () => {
    const loss = generalizedLiftedStructureLoss({ negMargin: 1.4 });
    const shuffledBatch = permute(batch, shuffled('genlifted-order', 10));
    expect(lossValue(loss, shuffledBatch.embeddings, shuffledBatch.labels)).toBeCloseTo(
      lossValue(loss, batch.embeddings, batch.labels),
      5,
    );
  });

  it('counts a pair listed twice once (the pairs form a mask)', () => {
    const loss = generalizedLiftedStructureLoss();
    const once = { kind: 'pairs' as const, posAnchors: [0, 1], positives: [1, 0], negAnchors: [0, 2], negatives: [2, 0] };
    const twice = { ...once, posAnchors: [0, 0, 1], positives: [1, 1, 0] };
    expect(lossValue(loss, batch.embeddings, null, { indices: twice })).toBeCloseTo(
      lossValue(loss, batch.embeddings, null, { indices: once }),
      6,
    );
  });

  it('keeps the negative part of a batch of singletons', () => {
    const singletons = randomBatch('genlifted-singletons', 5, 3, 5);
    const value = lossValue(generalizedLiftedStructureLoss(), singletons.embeddings, singletons.labels);
    expect(value).toBeGreaterThan(0);
    expect(value).toBeCloseTo(generalizedLiftedRef(singletons, { negMargin: 1, posMargin: 0, metric: 'lp' }), 4);
  });
});
