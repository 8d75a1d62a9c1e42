import { EmbError, initBackend } from '@emb/core';
import { dotProductSimilarity, lpDistance } from '@emb/distance';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { lossValue } from '../test/loss-value.js';
import { nPairsRef, permute, randomBatch } from '../test/pair-losses-reference.js';
import { nPairsLoss } from './index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe('nPairsLoss', () => {
  const batch = randomBatch('npairs', 12, 4, 4);

  it('equals a plain-loops float64 computation on the first positive pair of each label', () => {
    expect(lossValue(nPairsLoss(), batch.embeddings, batch.labels)).toBeCloseTo(nPairsRef(batch, { metric: 'cosine' }), 4);
    const raw = nPairsLoss({ distance: dotProductSimilarity({ normalizeEmbeddings: false }) });
    expect(lossValue(raw, batch.embeddings, batch.labels)).toBeCloseTo(nPairsRef(batch, { metric: 'dot-raw' }), 4);
    expect(lossValue(nPairsLoss({ distance: lpDistance() }), batch.embeddings, batch.labels)).toBeCloseTo(
      nPairsRef(batch, { metric: 'lp' }),
      4,
    );
  });

  it('does not depend on the order of classes or of other members, only on which pair comes first', () => {
    // Reorder the batch but keep each class's members in their original relative order:
    // the first positive pair of every label stays the same two embeddings.
    const order = [...batch.labels.keys()].sort((i, j) => (batch.labels[j] as number) - (batch.labels[i] as number) || i - j);
    const reordered = permute(batch, order);
    expect(lossValue(nPairsLoss(), reordered.embeddings, reordered.labels)).toBeCloseTo(
      lossValue(nPairsLoss(), batch.embeddings, batch.labels),
      5,
    );
  });

  it('uses one pair per label, ordered by label, as its terms', () => {
    const labels = [5, 1, 5, 1, 3];
    const e = tf.tensor2d(randomBatch('npairs-terms', 5, 3, 2).embeddings);
    const terms = nPairsLoss().terms({ embeddings: e, labels });
    expect(Array.from(terms.loss!.indices![0]!)).toEqual([1, 0]); // label 1 (anchor 1), then label 5 (anchor 0)
    tf.dispose([e, terms.loss!.losses]);
  });

  it('rejects reference embeddings and missing labels', () => {
    const e = tf.tensor2d(batch.embeddings);
    expect(() =>
      nPairsLoss().compute({ embeddings: e, labels: batch.labels, refEmbeddings: e, refLabels: batch.labels }),
    ).toThrow(EmbError);
    expect(() =>
      nPairsLoss().compute({
        embeddings: e,
        indices: { kind: 'pairs', posAnchors: [0], positives: [1], negAnchors: [], negatives: [] },
      }),
    ).toThrow(/labels/);
    e.dispose();
  });
});
