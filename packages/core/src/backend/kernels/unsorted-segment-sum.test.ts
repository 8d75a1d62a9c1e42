import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectSameOnWasmAndCpu, randomTensor, startBackends } from './compare-backends.test-util.js';

beforeAll(startBackends);

describe('UnsortedSegmentSum on wasm', () => {
  it('matches the cpu kernel for rank-1 segment ids over rows', async () => {
    const x = randomTensor([12, 5], 'uss-x');
    const segmentIds = { values: Int32Array.from([0, 3, 3, 1, 0, 6, 2, 2, 2, 5, 4, 3]), shape: [12], dtype: 'int32' as const };
    await expectSameOnWasmAndCpu('UnsortedSegmentSum', { x, segmentIds }, { numSegments: 7 });
  });

  it('matches the cpu kernel for a 1-D input and more segments than ids', async () => {
    const x = randomTensor([6], 'uss-1d');
    const segmentIds = { values: Int32Array.from([4, 0, 4, 9, 1, 1]), shape: [6], dtype: 'int32' as const };
    await expectSameOnWasmAndCpu('UnsortedSegmentSum', { x, segmentIds }, { numSegments: 10 });
  });

  it('sums int32 data as int32', async () => {
    const x = { values: Int32Array.from([1, 2, 3, 4, 5, 6]), shape: [3, 2], dtype: 'int32' as const };
    const segmentIds = { values: Int32Array.from([1, 0, 1]), shape: [3], dtype: 'int32' as const };
    await expectSameOnWasmAndCpu('UnsortedSegmentSum', { x, segmentIds }, { numSegments: 2 });
    const out = tf.unsortedSegmentSum(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32'), tf.tensor1d([1, 0, 1], 'int32'), 2);
    expect(out.dtype).toBe('int32');
    expect(out.arraySync()).toEqual([
      [3, 4],
      [6, 8],
    ]);
  });

  it('drops segment ids outside [0, numSegments)', () => {
    const out = tf.unsortedSegmentSum(tf.tensor1d([1, 10, 100, 1000]), tf.tensor1d([0, -1, 2, 1], 'int32'), 2);
    expect(out.arraySync()).toEqual([1, 1000]);
  });

  it("makes tf.gather's gradient work on wasm, summing repeated indices", () => {
    const params = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
    const g = tf.grad((p: tf.Tensor) =>
      tf.sum(tf.mul(tf.gather(p, tf.tensor1d([2, 0, 2], 'int32')), tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]))),
    );
    expect(tf.getBackend()).toBe('wasm');
    expect(g(params).arraySync()).toEqual([
      [3, 4],
      [0, 0],
      [6, 8],
    ]);
  });
});
