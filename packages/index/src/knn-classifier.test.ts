import '@tensorflow/tfjs-backend-cpu';
import { initBackend, isEmbError } from '@emb/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { exactIndex, knnClassifier } from './index.js';
import { clusteredRows } from './test-helpers.js';

describe('knnClassifier', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });

  it('knnClassifier recognises a class enrolled after the fact, without retraining', async () => {
    const dim = 16;
    const { data, labels } = clusteredRows(6, 20, dim, 1, 0.2);
    const index = exactIndex({ dim });
    // Enrol classes 0-4, then class 5 later.
    await index.add(data.subarray(0, 100 * dim), { labels: labels.subarray(0, 100) });
    const clf = knnClassifier(index, { k: 5 });
    const probe = data.subarray(110 * dim, 111 * dim);
    expect((await clf.classify(probe))[0]!.label).not.toBe(5);
    await index.add(data.subarray(100 * dim, 110 * dim), { labels: labels.subarray(100, 110) });
    const [p] = await clf.classify(probe);
    expect(p!.label).toBe(5);
    expect(p!.confidence).toBe(1);
    index.dispose();
  });

  it('knnClassifier answers unknown for someone never enrolled when a threshold is set', async () => {
    const index = exactIndex({ dim: 2 });
    await index.add(
      [
        [0, 0],
        [0, 0.1],
        [10, 10],
        [10, 10.1],
      ],
      { labels: [1, 1, 2, 2] },
    );
    const clf = knnClassifier(index, { k: 3, unknownThreshold: 1 });
    const [near, far] = await clf.classify([
      [0.2, 0],
      [5, 5],
    ]);
    expect(near!.label).toBe(1);
    expect(far!.label).toBe('unknown');
    expect(far!.nearestLabel).not.toBeNull();
    index.dispose();
  });

  it('knnClassifier with distance-weighted votes lets one very close neighbour outvote two far ones', async () => {
    const index = exactIndex({ dim: 1 });
    await index.add([[0], [3], [3.1]], { labels: [1, 2, 2] });
    const q = [[0.05]];
    expect((await knnClassifier(index, { k: 3, vote: 'majority' }).classify(q))[0]!.label).toBe(2);
    const weighted = (await knnClassifier(index, { k: 3, vote: 'distance-weighted' }).classify(q))[0]!;
    expect(weighted.label).toBe(1);
    expect(weighted.confidence).toBeGreaterThan(0.9);
    index.dispose();
  });

  it('knnClassifier with cosine similarity uses the similarity threshold the other way round', async () => {
    const index = exactIndex({ dim: 2, distance: 'cosine' });
    await index.add(
      [
        [1, 0],
        [0, 1],
      ],
      { labels: [1, 2] },
    );
    const clf = knnClassifier(index, { k: 1, unknownThreshold: 0.9 });
    const [a, b] = await clf.classify([
      [1, 0.1],
      [1, 1],
    ]);
    expect(a!.label).toBe(1);
    expect(b!.label).toBe('unknown');
    index.dispose();
  });

  it('knnClassifier ties go to the label with the closest neighbour; unlabelled entries do not vote; k is clamped', async () => {
    const index = exactIndex({ dim: 1 });
    await index.add([[1], [-2], [0.5]], { labels: [1, 2] as never, ids: [0, 1, 2] }).catch(() => undefined);
    await index.add([[1], [-2]], { labels: [1, 2] });
    await index.add([[0.1]]);
    const [p] = await knnClassifier(index, { k: 10 }).classify([[0]]);
    expect(p!.label).toBe(1);
    expect(p!.neighbours.ids.length).toBe(3);
    const empty = exactIndex({ dim: 1 });
    await expect(knnClassifier(empty).classify([[0]])).rejects.toSatisfy((e) => isEmbError(e, 'EMPTY_BATCH'));
    expect(() => knnClassifier(index, { vote: 'mode' as never })).toThrow(/vote/);
    index.dispose();
  });
});
