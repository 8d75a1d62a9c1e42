import { initBackend, type PairIndices, type TripletIndices } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { allPairsMiner, allTripletsMiner } from './index.js';

describe('allPairsMiner and allTripletsMiner', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });

  it('allPairsMiner returns every positive and negative pair, row-major', () => {
    const embeddings = tf.tensor2d([
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    const out = allPairsMiner().mine({ embeddings, labels: [5, 5, 7] }) as PairIndices;
    expect([Array.from(out.posAnchors), Array.from(out.positives)]).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect([Array.from(out.negAnchors), Array.from(out.negatives)]).toEqual([
      [0, 1, 2, 2],
      [2, 2, 0, 1],
    ]);
    embeddings.dispose();
  });

  it('allTripletsMiner returns every triplet in (anchor, positive, negative) order', () => {
    const embeddings = tf.tensor2d([
      [1, 0],
      [0, 1],
      [1, 1],
      [2, 1],
    ]);
    const out = allTripletsMiner().mine({ embeddings, labels: [0, 0, 1, 1] }) as TripletIndices;
    expect([Array.from(out.anchors), Array.from(out.positives), Array.from(out.negatives)]).toEqual([
      [0, 0, 1, 1, 2, 2, 3, 3],
      [1, 1, 0, 0, 3, 3, 2, 2],
      [2, 3, 2, 3, 0, 1, 0, 1],
    ]);
    embeddings.dispose();
  });

  it('mines against a reference set: anchors index the embeddings, the rest the reference', () => {
    const embeddings = tf.tensor2d([[1, 0]]);
    const refEmbeddings = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    const out = allPairsMiner().mine({ embeddings, labels: [3], refEmbeddings, refLabels: [3, 4] }) as PairIndices;
    // With a reference set the anchor's own index is a legitimate positive.
    expect(Array.from(out.positives)).toEqual([0]);
    expect(Array.from(out.negatives)).toEqual([1]);
    tf.dispose([embeddings, refEmbeddings]);
  });
});
