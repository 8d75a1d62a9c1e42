import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectSameOnWasmAndCpu, randomTensor, startBackends } from './compare-backends.test-util.js';

beforeAll(startBackends);

describe('Conv2DBackpropInput on wasm', () => {
  const explicit = [
    [0, 0],
    [1, 2],
    [0, 1],
    [0, 0],
  ];
  // Pads larger than the filter: the full correlation then starts inside dy.
  const wide = [
    [0, 0],
    [3, 0],
    [0, 4],
    [0, 0],
  ];
  const cases = [
    { x: [2, 7, 7, 3], k: [3, 3], co: 4, stride: 1, pad: 'same' },
    { x: [2, 7, 7, 3], k: [3, 3], co: 4, stride: 2, pad: 'same' },
    { x: [2, 8, 8, 5], k: [2, 2], co: 3, stride: 1, pad: 'same' },
    { x: [2, 8, 8, 5], k: [2, 2], co: 3, stride: 2, pad: 'same' },
    { x: [3, 8, 6, 2], k: [3, 2], co: 5, stride: 1, pad: 'valid' },
    { x: [3, 9, 9, 2], k: [3, 3], co: 5, stride: 2, pad: 'valid' },
    { x: [2, 10, 9, 4], k: [3, 3], co: 6, stride: 2, pad: 'valid' },
    { x: [2, 6, 6, 16], k: [2, 2], co: 8, stride: [2, 1], pad: 'same' },
    { x: [1, 5, 5, 20], k: [5, 5], co: 3, stride: 1, pad: 'same' },
    { x: [2, 6, 5, 3], k: [3, 3], co: 2, stride: 1, pad: explicit },
    { x: [2, 7, 6, 3], k: [3, 3], co: 2, stride: 2, pad: explicit },
    { x: [2, 5, 5, 2], k: [2, 3], co: 3, stride: 1, pad: wide },
    { x: [4, 13, 13, 8], k: [3, 3], co: 16, stride: 1, pad: 'valid' },
  ] as const;

  for (const c of cases) {
    it(`matches the cpu kernel for x ${c.x}, kernel ${c.k}, stride ${c.stride}, pad ${JSON.stringify(c.pad)}`, async () => {
      const filterShape = [c.k[0], c.k[1], c.x[3], c.co];
      const filter = randomTensor(filterShape, `w${c.x}${c.stride}`);
      const info = tf.backend_util.computeConv2DInfo(
        [...c.x] as [number, number, number, number],
        filterShape as [number, number, number, number],
        c.stride as number,
        1,
        c.pad as 'same',
      );
      const dy = randomTensor([c.x[0], info.outHeight, info.outWidth, c.co], `dy${c.x}${c.stride}`);
      await expectSameOnWasmAndCpu(
        'Conv2DBackpropInput',
        { dy, filter },
        { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', inputShape: [...c.x] },
      );
    });
  }

  it('matches the cpu kernel for NCHW data', async () => {
    const dy = randomTensor([2, 4, 3, 3], 'nchw-dy');
    const filter = randomTensor([3, 3, 3, 4], 'nchw-w');
    await expectSameOnWasmAndCpu(
      'Conv2DBackpropInput',
      { dy, filter },
      { strides: 2, pad: 'same', dataFormat: 'NCHW', inputShape: [2, 3, 6, 6] },
    );
  });

  it('lets tf.grad of conv2d reach the input on wasm without leaking', () => {
    const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 1);
    const w = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 2);
    const before = tf.memory().numTensors;
    const dx = tf.grad((x: tf.Tensor) => tf.sum(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same')))(x);
    expect(dx.shape).toEqual([2, 8, 8, 3]);
    dx.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
