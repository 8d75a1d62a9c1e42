import { EmbError, initBackend } from '@emb/core';
import { cosineSimilarity, lpDistance } from '@emb/distance';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { lossValue } from '../test/loss-value.js';
import { contrastiveRef, permute, randomBatch, shuffled } from '../test/pair-losses-reference.js';
import { contrastiveLoss, meanReducer } from './index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe('contrastiveLoss', () => {
  const batch = randomBatch('contrastive', 10, 4, 3);

  it('equals a plain-loops float64 computation over all pairs', () => {
    expect(lossValue(contrastiveLoss({ negMargin: 1.3 }), batch.embeddings, batch.labels)).toBeCloseTo(
      contrastiveRef(batch, { posMargin: 0, negMargin: 1.3, metric: 'lp' }),
      4,
    );
    const cos = contrastiveLoss({ posMargin: 0.9, negMargin: 0.1, distance: cosineSimilarity() });
    expect(lossValue(cos, batch.embeddings, batch.labels)).toBeCloseTo(
      contrastiveRef(batch, { posMargin: 0.9, negMargin: 0.1, metric: 'cosine' }),
      4,
    );
    const raw = contrastiveLoss({ posMargin: 0.5, negMargin: 2, distance: lpDistance({ normalizeEmbeddings: false }) });
    expect(lossValue(raw, batch.embeddings, batch.labels)).toBeCloseTo(
      contrastiveRef(batch, { posMargin: 0.5, negMargin: 2, metric: 'lp-raw' }),
      4,
    );
  });

  it('does not depend on the order of the batch', () => {
    const loss = contrastiveLoss({ posMargin: 0.2, negMargin: 1.5 });
    const shuffledBatch = permute(batch, shuffled('contrastive-order', 10));
    expect(lossValue(loss, shuffledBatch.embeddings, shuffledBatch.labels)).toBeCloseTo(
      lossValue(loss, batch.embeddings, batch.labels),
      5,
    );
  });

  it('reduces the positive and the negative part separately', () => {
    const loss = contrastiveLoss({ negMargin: 1.5 });
    const terms = tf.tidy(() => {
      const t = loss.terms({ embeddings: tf.tensor2d(batch.embeddings), labels: batch.labels });
      return { pos: Array.from(t.pos_loss!.losses.dataSync()), neg: Array.from(t.neg_loss!.losses.dataSync()) };
    });
    const avg = (xs: number[]) => xs.filter((x) => x > 0).reduce((s, x) => s + x, 0) / xs.filter((x) => x > 0).length;
    expect(lossValue(loss, batch.embeddings, batch.labels)).toBeCloseTo(avg(terms.pos) + avg(terms.neg), 5);
  });

  it('counts a pair listed twice twice', () => {
    const loss = contrastiveLoss({ reducer: meanReducer() });
    const e = [
      [1, 0],
      [0.6, 0.8],
      [0, 1],
    ];
    const once = { kind: 'pairs' as const, posAnchors: [0, 1], positives: [1, 2], negAnchors: [0, 2], negatives: [2, 0] };
    const twice = { ...once, posAnchors: [0, 0, 1], positives: [1, 1, 2] };
    const d01 = Math.hypot(0.4, 0.8);
    const d12 = Math.hypot(0.6, 0.2);
    // The negative pairs are farther apart than negMargin = 1, so that part is 0.
    expect(lossValue(loss, e, null, { indices: once })).toBeCloseTo((d01 + d12) / 2, 5);
    expect(lossValue(loss, e, null, { indices: twice })).toBeCloseTo((2 * d01 + d12) / 3, 5);
  });

  it('ignores a tuple with at most one pair per side, as PML does', () => {
    const loss = contrastiveLoss();
    const indices = { kind: 'pairs' as const, posAnchors: [0], positives: [1], negAnchors: [0], negatives: [2] };
    expect(lossValue(loss, batch.embeddings, null, { indices })).toBe(0);
  });

  it('rejects a non-finite margin with an error that quotes it', () => {
    expect(() => contrastiveLoss({ negMargin: Number.NaN })).toThrow(EmbError);
    expect(() => contrastiveLoss({ negMargin: Number.NaN })).toThrow(/negMargin/);
  });
});
