import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, it } from 'vitest';
import { expectSameOnWasmAndCpu, randomTensor, startBackends } from './compare-backends.test-util.js';

beforeAll(startBackends);

const cases = [
  { x: [2, 7, 7, 3], k: [3, 3], mult: 1, stride: 1, pad: 'same' },
  { x: [2, 7, 7, 3], k: [3, 3], mult: 2, stride: 2, pad: 'same' },
  { x: [3, 8, 6, 4], k: [2, 3], mult: 1, stride: 2, pad: 'valid' },
  { x: [2, 9, 9, 2], k: [3, 3], mult: 3, stride: 1, pad: 'valid' },
] as const;

function shapes(c: (typeof cases)[number]) {
  const filterShape = [c.k[0], c.k[1], c.x[3], c.mult] as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    [...c.x] as [number, number, number, number],
    filterShape,
    c.stride,
    1,
    c.pad,
    undefined,
    true,
  );
  return { filterShape, dyShape: [c.x[0], info.outHeight, info.outWidth, c.x[3] * c.mult] };
}

describe('DepthwiseConv2dNativeBackpropFilter on wasm', () => {
  for (const c of cases) {
    it(`matches the cpu kernel for x ${c.x}, kernel ${c.k}, multiplier ${c.mult}, stride ${c.stride}, pad ${c.pad}`, async () => {
      const { filterShape, dyShape } = shapes(c);
      const x = randomTensor([...c.x], `dwf-x${c.x}${c.mult}`);
      const dy = randomTensor(dyShape, `dwf-dy${c.x}${c.mult}`);
      await expectSameOnWasmAndCpu(
        'DepthwiseConv2dNativeBackpropFilter',
        { x, dy },
        { strides: c.stride, dilations: 1, pad: c.pad, filterShape },
      );
    });
  }
});

describe('DepthwiseConv2dNativeBackpropInput on wasm', () => {
  for (const c of cases) {
    it(`matches the cpu kernel for x ${c.x}, kernel ${c.k}, multiplier ${c.mult}, stride ${c.stride}, pad ${c.pad}`, async () => {
      const { filterShape, dyShape } = shapes(c);
      const filter = randomTensor(filterShape, `dwi-w${c.x}${c.mult}`);
      const dy = randomTensor(dyShape, `dwi-dy${c.x}${c.mult}`);
      await expectSameOnWasmAndCpu(
        'DepthwiseConv2dNativeBackpropInput',
        { dy, filter },
        { strides: c.stride, dilations: 1, pad: c.pad, inputShape: [...c.x] },
      );
    });
  }
});
