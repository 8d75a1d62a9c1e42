import { createRng, initBackend, type TripletIndices } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomPairsMiner, randomTripletsMiner } from './index.js';

const tuple = (t: TripletIndices) => [Array.from(t.anchors), Array.from(t.positives), Array.from(t.negatives)];

describe('random miners', () => {
  const labels = [0, 1, 0, 2, 1, 0, 2, 2, 1, 3];
  let embeddings: tf.Tensor2D;
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
    embeddings = tf.randomNormal([labels.length, 4], 0, 1, 'float32', 5) as tf.Tensor2D;
  });

  it('randomTripletsMiner gives the same tuples for the same seed, call after call', () => {
    const a = randomTripletsMiner({ seed: 42, tripletsPerAnchor: 3 });
    const b = randomTripletsMiner({ seed: 42, tripletsPerAnchor: 3 });
    const first = tuple(a.mine({ embeddings, labels }) as TripletIndices);
    expect(tuple(b.mine({ embeddings, labels }) as TripletIndices)).toEqual(first);
    // The generator advances: the second call differs, and replays for the same seed.
    const second = tuple(a.mine({ embeddings, labels }) as TripletIndices);
    expect(second).not.toEqual(first);
    expect(tuple(b.mine({ embeddings, labels }) as TripletIndices)).toEqual(second);
    expect(
      tuple(randomTripletsMiner({ seed: 43, tripletsPerAnchor: 3 }).mine({ embeddings, labels }) as TripletIndices),
    ).not.toEqual(first);
  });

  it('randomTripletsMiner draws from a given rng and only forms valid triplets', () => {
    const out = randomTripletsMiner({ rng: createRng('replay') }).mine({ embeddings, labels }) as TripletIndices;
    const same = tuple(randomTripletsMiner({ rng: createRng('replay') }).mine({ embeddings, labels }) as TripletIndices);
    expect(tuple(out)).toEqual(same);
    // PML's default: as many triplets per anchor as its class has rows; label 3 is a singleton.
    expect(out.anchors.length).toBe(3 * 3 + 3 * 3 + 3 * 3);
    out.anchors.forEach((a, i) => {
      const p = out.positives[i] as number;
      const n = out.negatives[i] as number;
      expect(p).not.toBe(a);
      expect(labels[p]).toBe(labels[a]);
      expect(labels[n]).not.toBe(labels[a]);
    });
  });

  it('randomPairsMiner gives the same pairs for the same seed and only valid pairs', () => {
    const m1 = randomPairsMiner({ pairsPerAnchor: 2, seed: 9 }).mine({ embeddings, labels });
    const m2 = randomPairsMiner({ pairsPerAnchor: 2, seed: 9 }).mine({ embeddings, labels });
    expect(m1).toEqual(m2);
    if (m1.kind !== 'pairs') throw new Error('expected pairs');
    // Every anchor but the singleton gets 2 positive pairs; every anchor gets 2 negative pairs.
    expect(m1.posAnchors.length).toBe(9 * 2);
    expect(m1.negAnchors.length).toBe(10 * 2);
    m1.posAnchors.forEach((a, i) => {
      expect(m1.positives[i]).not.toBe(a);
      expect(labels[m1.positives[i] as number]).toBe(labels[a]);
    });
    m1.negAnchors.forEach((a, i) => {
      expect(labels[m1.negatives[i] as number]).not.toBe(labels[a]);
    });
  });
});
