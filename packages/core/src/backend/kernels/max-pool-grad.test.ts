import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectSameOnWasmAndCpu, type HostTensor, randomTensor, startBackends } from './compare-backends.test-util.js';

beforeAll(startBackends);

/** The maxPool output of `x` on the cpu backend, as the kernel's `output` input. */
function maxPoolOutput(
  x: HostTensor,
  filterSize: number | [number, number],
  strides: number | [number, number],
  pad: 'same' | 'valid',
): HostTensor {
  return tf.tidy(() => {
    const y = tf.maxPool(tf.tensor4d(x.values, x.shape as [number, number, number, number]), filterSize, strides, pad);
    return { values: y.dataSync() as Float32Array, shape: y.shape, dtype: 'float32' };
  });
}

describe('MaxPoolGrad on wasm', () => {
  const cases = [
    { x: [2, 8, 8, 3], size: 2, stride: 2, pad: 'valid' },
    { x: [2, 7, 7, 3], size: 2, stride: 2, pad: 'valid' },
    { x: [2, 7, 7, 3], size: 2, stride: 2, pad: 'same' },
    { x: [3, 9, 8, 5], size: 3, stride: 2, pad: 'same' },
    { x: [2, 9, 9, 4], size: 3, stride: 1, pad: 'same' },
    { x: [1, 6, 7, 2], size: [2, 3], stride: [1, 2], pad: 'valid' },
  ] as const;

  for (const c of cases) {
    it(`matches the cpu kernel for x ${c.x}, window ${c.size}, stride ${c.stride}, pad ${c.pad}`, async () => {
      const input = randomTensor([...c.x], `x${c.x}${c.size}${c.stride}`);
      const output = maxPoolOutput(input, c.size as number, c.stride as number, c.pad);
      const dy = randomTensor(output.shape, `dy${c.x}${c.size}`);
      await expectSameOnWasmAndCpu(
        'MaxPoolGrad',
        { dy, input, output },
        { filterSize: c.size, strides: c.stride, pad: c.pad },
        1e-6,
      );
    });
  }

  it('routes a tie to the first maximum of the window in row-major order, as the cpu kernel', async () => {
    // Ties everywhere (ReLU outputs are often 0), and overlapping windows.
    const values = Float32Array.from({ length: 2 * 6 * 6 * 3 }, (_, i) => (i % 7 < 3 ? 0 : (i % 5) - 2));
    const input: HostTensor = { values, shape: [2, 6, 6, 3], dtype: 'float32' };
    for (const [size, stride] of [
      [2, 2],
      [3, 1],
    ] as const) {
      const output = maxPoolOutput(input, size, stride, 'same');
      const dy = randomTensor(output.shape, `tie${size}`);
      await expectSameOnWasmAndCpu(
        'MaxPoolGrad',
        { dy, input, output },
        { filterSize: size, strides: stride, pad: 'same' },
        1e-6,
      );
    }
  });

  it('lets tf.grad of maxPool reach the input on wasm without leaking', () => {
    const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 1);
    const before = tf.memory().numTensors;
    const dx = tf.grad((x: tf.Tensor) => tf.sum(tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid')))(x);
    expect(dx.shape).toEqual([2, 8, 8, 3]);
    // Every window passes its one dy (all ones) back to exactly one pixel.
    expect(tf.tidy(() => tf.sum(dx).dataSync()[0])).toBeCloseTo(2 * 4 * 4 * 3, 4);
    tf.dispose(dx);
    expect(tf.memory().numTensors).toBe(before);
  });
});
