import { initBackend } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LossContext } from '../define-loss.js';
import { pairMasks } from '../index.js';

function context(indices: LossContext['indices'], labels: number[]) {
  const embeddings = tf.zeros([labels.length, 2]) as tf.Tensor2D;
  const l = Int32Array.from(labels);
  return { embeddings, ref: embeddings, indices, labels: l, refLabels: l, isSelf: true };
}

describe('pairMasks', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });

  it('marks the pairs of an explicit tuple once, or counts how often each is listed with counts', () => {
    const triplets = {
      kind: 'triplets' as const,
      anchors: Int32Array.of(0, 0, 1),
      positives: Int32Array.of(1, 1, 0),
      negatives: Int32Array.of(2, 2, 2),
    };
    const ctx = context(triplets, [0, 0, 1]);
    const binary = pairMasks(ctx);
    expect(Array.from(binary.pos)).toEqual([0, 1, 0, 1, 0, 0, 0, 0, 0]);
    expect(Array.from(binary.neg)).toEqual([0, 0, 1, 0, 0, 1, 0, 0, 0]);
    const counts = pairMasks(ctx, { counts: true });
    expect(counts.pos).toBeInstanceOf(Float32Array);
    expect(Array.from(counts.pos)).toEqual([0, 2, 0, 1, 0, 0, 0, 0, 0]);
    expect(Array.from(counts.neg)).toEqual([0, 0, 2, 0, 0, 1, 0, 0, 0]);
    expect([counts.tooFew, counts.anyPos, counts.anyNeg]).toEqual([false, true, true]);
    ctx.embeddings.dispose();
  });

  it('builds every pair from the labels without (i, i), and applies PML rule of too few pairs', () => {
    const ctx = context(null, [0, 0, 1]);
    const m = pairMasks(ctx, { counts: true });
    expect(Array.from(m.pos)).toEqual([0, 1, 0, 1, 0, 0, 0, 0, 0]);
    expect(Array.from(m.neg)).toEqual([0, 0, 1, 0, 0, 1, 1, 1, 0]);
    expect(m.tooFew).toBe(false);
    const one = {
      kind: 'triplets' as const,
      anchors: Int32Array.of(0),
      positives: Int32Array.of(1),
      negatives: Int32Array.of(2),
    };
    expect(pairMasks({ ...ctx, indices: one }).tooFew).toBe(true);
    ctx.embeddings.dispose();
  });
});
