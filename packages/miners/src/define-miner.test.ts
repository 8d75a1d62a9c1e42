import { initBackend, isEmbError } from '@emb/core';
import { lpDistance } from '@emb/distance';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { defineMiner, tripletMarginMiner } from './index.js';

function errorOf(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('defineMiner', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });

  it('builds a frozen miner whose selection sees the read-back matrix and labels', () => {
    const miner = defineMiner({
      name: 'acme/first-negative',
      outputKind: 'pairs',
      options: {},
      distance: lpDistance({ normalizeEmbeddings: false }),
      select: ({ matrix, rows, cols, labels, refLabels }) => {
        expect(matrix.length).toBe(rows * cols);
        const negatives = Int32Array.from({ length: rows }, (_, a) => refLabels.findIndex((l) => l !== labels[a]));
        return {
          kind: 'pairs',
          posAnchors: new Int32Array(0),
          positives: new Int32Array(0),
          negAnchors: Int32Array.from({ length: rows }, (_, a) => a),
          negatives,
        };
      },
    });
    expect(Object.isFrozen(miner)).toBe(true);
    const embeddings = tf.tensor2d([
      [0, 0],
      [3, 4],
    ]);
    const before = tf.memory().numTensors;
    const out = miner.mine({ embeddings, labels: [0, 1] });
    expect(tf.memory().numTensors).toBe(before);
    expect(out.stats.meanNegativeDistance).toBe(5);
    expect(Object.isFrozen(out)).toBe(true);
    embeddings.dispose();
  });

  it('rejects labels of the wrong length, quoting the lengths', () => {
    const embeddings = tf.tensor2d([
      [0, 1],
      [1, 0],
    ]);
    const error = errorOf(() => tripletMarginMiner().mine({ embeddings, labels: [0, 1, 2] }));
    expect(isEmbError(error, 'LABELS_LENGTH')).toBe(true);
    expect((error as Error).message).toMatch(/3 entries but there are 2/);
    embeddings.dispose();
  });

  it('rejects refEmbeddings without refLabels and refLabels without refEmbeddings', () => {
    const embeddings = tf.tensor2d([
      [0, 1],
      [1, 0],
    ]);
    const refEmbeddings = tf.tensor2d([[0, 1]]);
    expect(
      isEmbError(
        errorOf(() => tripletMarginMiner().mine({ embeddings, labels: [0, 1], refEmbeddings })),
        'INVALID_ARGUMENT',
      ),
    ).toBe(true);
    expect(
      isEmbError(
        errorOf(() => tripletMarginMiner().mine({ embeddings, labels: [0, 1], refLabels: [0] })),
        'INVALID_ARGUMENT',
      ),
    ).toBe(true);
    tf.dispose([embeddings, refEmbeddings]);
  });

  it('rejects non-finite embeddings before mining', () => {
    const embeddings = tf.tensor2d([
      [0, Number.NaN],
      [1, 0],
    ]);
    expect(
      isEmbError(
        errorOf(() => tripletMarginMiner().mine({ embeddings, labels: [0, 1] })),
        'NON_FINITE',
      ),
    ).toBe(true);
    embeddings.dispose();
  });
});

describe('mining inside a gradient', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });

  it('records at most one node on the gradient tape and leaves the loss gradient unchanged', () => {
    const embeddings = tf.tensor2d([
      [1, 0],
      [0.8, 0.6],
      [0, 1],
      [-1, 0.2],
    ]);
    const labels = [0, 0, 1, 1];
    const miner = tripletMarginMiner({ typeOfTriplets: 'all', margin: 1 });
    const tape = () => (tf.engine().state.activeTape ?? []).length;
    let recorded = -1;
    const lossOf = (x: tf.Tensor2D) => tf.sum(lpDistance().pairwise(x));
    const g = tf.grad((x: tf.Tensor) => {
      const before = tape();
      miner.mine({ embeddings: x as tf.Tensor2D, labels });
      recorded = tape() - before;
      return lossOf(x as tf.Tensor2D);
    })(embeddings);
    const expected = tf.grad((x: tf.Tensor) => lossOf(x as tf.Tensor2D))(embeddings);
    expect(recorded).toBeLessThanOrEqual(1);
    expect(Array.from(g.dataSync())).toEqual(Array.from(expected.dataSync()));
    tf.dispose([embeddings, g, expected]);
  });
});
