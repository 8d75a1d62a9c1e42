import { isEmbError } from '@emb/core';
import { describe, expect, it } from 'vitest';
import { decodeSnapshot } from './decode-snapshot.js';
import { encodeSnapshot, SNAPSHOT_MAGIC } from './encode-snapshot.js';
import type { TrainingSnapshot } from './training-snapshot.js';

const snapshot = (): TrainingSnapshot => ({
  format: 'emb-training-snapshot',
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  seed: 'run-1',
  completedEpochs: 2,
  batchInEpoch: 3,
  step: 17,
  rng: { sampler: [1, 2, 3, 4294967295] },
  model: [
    { name: 'w', shape: [2, 3], dtype: 'float32', data: Float32Array.of(1.5, -0, Number.NaN, 3e-39, 5, 6) },
    { name: 'i', shape: [3], dtype: 'int32', data: Int32Array.of(-1, 0, 2147483647) },
    { name: 'b', shape: [1], dtype: 'bool', data: Uint8Array.of(1) },
  ],
  optimizer: { className: 'Adam', learningRate: 0.001, weights: [], extra: [] },
  lossVariables: [],
  lossState: { queue: Float32Array.of(7, 8, 9), labels: Int32Array.of(1), filled: true, nested: [1, null, 'x'] },
  callbacks: { 'early-stopping': { best: Number.POSITIVE_INFINITY, wait: 1 } },
  history: {
    epochs: [
      {
        epoch: 0,
        loss: 0.5,
        steps: 7,
        learningRate: 0.001,
        timeMs: 12,
        metrics: { precisionAt1: 0.25 },
        miner: {
          numTriplets: 3,
          numPositivePairs: 0,
          numNegativePairs: 0,
          meanPositiveDistance: Number.NaN,
          meanNegativeDistance: 1,
        },
      },
    ],
    stepLosses: Float32Array.of(0.5, 0.25),
  },
  meta: { config: { lr: 0.001 } },
});

const code = (f: () => unknown) => {
  try {
    f();
    return 'ok';
  } catch (error) {
    return isEmbError(error) ? error.code : String(error);
  }
};

describe('snapshot encoding', () => {
  it('encodeSnapshot and decodeSnapshot round-trip typed arrays bit for bit, non-finite numbers and nested state', () => {
    const s = snapshot();
    const bytes = encodeSnapshot(s);
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe(SNAPSHOT_MAGIC);
    const back = decodeSnapshot(bytes);
    expect(back).toEqual(s);
    const w = back.model[0]?.data as Float32Array;
    expect(w).toBeInstanceOf(Float32Array);
    expect(Object.is(w[1], -0)).toBe(true);
    expect(w[3]).toBe(s.model[0]?.data[3]); // a subnormal survives
    expect(back.model[1]?.data).toBeInstanceOf(Int32Array);
    expect(back.model[2]?.data).toBeInstanceOf(Uint8Array);
    expect((back.lossState as { queue: Float32Array }).queue).toBeInstanceOf(Float32Array);
    expect(back.callbacks['early-stopping']).toEqual({ best: Number.POSITIVE_INFINITY, wait: 1 });
  });

  it('decodeSnapshot detects any flipped byte, truncation, a wrong magic and a newer version', () => {
    const bytes = encodeSnapshot(snapshot());
    for (const at of [0, 9, 20, Math.floor(bytes.length / 2), bytes.length - 5, bytes.length - 1]) {
      const copy = bytes.slice();
      copy[at] = (copy[at] as number) ^ 0x10;
      expect([at, code(() => decodeSnapshot(copy))]).toEqual([at, at >= 8 && at < 12 ? 'UNSUPPORTED_VERSION' : 'CORRUPT_FILE']);
    }
    expect(code(() => decodeSnapshot(bytes.subarray(0, bytes.length - 1)))).toBe('CORRUPT_FILE');
    expect(code(() => decodeSnapshot(new Uint8Array(4)))).toBe('CORRUPT_FILE');
    const newer = bytes.slice();
    new DataView(newer.buffer).setUint32(8, 2, true);
    expect(code(() => decodeSnapshot(newer))).toBe('UNSUPPORTED_VERSION');
    expect(() => decodeSnapshot(newer, 'run/checkpoint.embtrain')).toThrow(
      /run\/checkpoint\.embtrain uses snapshot format version 2/,
    );
  });
});
