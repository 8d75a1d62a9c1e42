import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { initBackend, isEmbError } from '@emb/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { datasetToTensor } from './dataset-to-tensor.js';
import { inMemoryDataset } from './labelled-dataset.js';
import { subsetDataset } from './subset-dataset.js';

describe('inMemoryDataset', () => {
  it('inMemoryDataset wraps rows with one label each and infers the item shape', () => {
    const ds = inMemoryDataset({
      x: [
        [0, 1],
        [1, 0],
        [5, 5],
      ],
      labels: [0, 0, 1],
    });
    expect(ds.kind).toBe('labelled');
    expect(ds.size).toBe(3);
    expect(ds.itemShape).toEqual([2]);
    expect(Array.from(ds.x)).toEqual([0, 1, 1, 0, 5, 5]);
    expect(ds.labels).toBeInstanceOf(Int32Array);
    expect(Object.isFrozen(ds)).toBe(true);
  });

  it('inMemoryDataset keeps a flat Float32Array without copying and needs its itemShape', () => {
    const x = new Float32Array(2 * 4);
    const ds = inMemoryDataset({ x, itemShape: [2, 2, 1], labels: Int32Array.of(3, 4), classNames: ['a', 'b', 'c', 'd', 'e'] });
    expect(ds.x).toBe(x);
    expect(ds.classNames?.[4]).toBe('e');
    expect(() => inMemoryDataset({ x, labels: [0, 1] })).toThrow(/itemShape/);
  });

  it('inMemoryDataset rejects a label count that differs from the item count, quoting both', () => {
    try {
      inMemoryDataset({ x: [[1], [2]], labels: [0] });
      expect.unreachable();
    } catch (e) {
      expect(isEmbError(e, 'LABELS_LENGTH')).toBe(true);
      expect((e as Error).message).toMatch(/1 entries but there are 2/);
    }
  });

  it('inMemoryDataset rejects ragged rows, non-integer labels and non-finite values', () => {
    expect(() => inMemoryDataset({ x: [[1, 2], [3]], labels: [0, 1] })).toThrow(/x\[1\] has 1 values/);
    expect(() => inMemoryDataset({ x: [[1], [2]], labels: [0, 0.5] })).toThrow(/labels\[1\] is 0.5/);
    expect(() => inMemoryDataset({ x: [[1], [Number.NaN]], labels: [0, 1] })).toThrow(/non-finite value NaN in item 1/);
    expect(() => inMemoryDataset({ x: new Float32Array(5), itemShape: [2], labels: [0, 0] })).toThrow(/not a multiple/);
  });

  it('subsetDataset copies the chosen items in order and rejects out-of-range indices', () => {
    const ds = inMemoryDataset({ x: [[0], [1], [2], [3]], labels: [5, 6, 7, 8] });
    const sub = subsetDataset(ds, [3, 1, 1]);
    expect(Array.from(sub.x)).toEqual([3, 1, 1]);
    expect(Array.from(sub.labels)).toEqual([8, 6, 6]);
    expect(() => subsetDataset(ds, [4])).toThrow(/indices\[0\] is 4, outside the dataset's 0..3/);
  });
});

describe.each(['wasm', 'cpu'] as const)('datasetToTensor on %s', (backend) => {
  beforeAll(async () => {
    await initBackend({ backend, quiet: true });
  });

  it('datasetToTensor and inMemoryDataset round-trip a [N, H, W, C] tensor', () => {
    const before = tf.memory().numTensors;
    const t = tf.tidy(() => tf.reshape(tf.range(0, 2 * 3 * 2 * 1), [2, 3, 2, 1]));
    const labels = tf.tensor1d([1, 2], 'int32');
    const ds = inMemoryDataset({ x: t, labels });
    expect(ds.itemShape).toEqual([3, 2, 1]);
    const back = datasetToTensor(ds);
    expect(back.shape).toEqual([2, 3, 2, 1]);
    expect(Array.from(back.dataSync())).toEqual(Array.from(t.dataSync()));
    tf.dispose([t, labels, back]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
