import { describe, expect, it } from 'vitest';
import { isEmbError } from '../errors.js';
import { toIndicesTuple } from './to-indices-tuple.js';

const triplets = (anchors: ArrayLike<number>, positives: ArrayLike<number>, negatives: ArrayLike<number>) =>
  ({ kind: 'triplets', anchors, positives, negatives }) as Parameters<typeof toIndicesTuple>[0];

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('toIndicesTuple', () => {
  it('returns valid Int32Array fields as they are (no copy of a miner’s millions of indices)', () => {
    const a = Int32Array.of(0, 1, 2);
    const out = toIndicesTuple(triplets(a, Int32Array.of(1, 2, 0), Int32Array.of(2, 0, 1)), 3);
    expect(out.kind === 'triplets' && out.anchors).toBe(a);
  });

  it.each([
    ['a negative Int32Array entry', Int32Array.of(0, -1, 2), 'indices.anchors[1] is -1'],
    ['an Int32Array entry equal to the row count', Int32Array.of(0, 3, 2), 'indices.anchors[1] is 3'],
    ['a fractional array entry', [0, 1.5, 2], 'indices.anchors[1] is 1.5'],
    ['a NaN array entry', [0, 1, Number.NaN], 'indices.anchors[2] is NaN'],
  ])('rejects %s with an INVALID_ARGUMENT error naming the position and value', (_case, anchors, message) => {
    const error = errorOf(() => toIndicesTuple(triplets(anchors, [0, 1, 2], [0, 1, 2]), 3));
    expect(isEmbError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect(error.message).toContain(message);
    expect(error.message).toContain('[0, 3)');
  });

  it('checks positives and negatives against the reference size', () => {
    const error = errorOf(() => toIndicesTuple(triplets([0], Int32Array.of(4), [0]), 1, 4));
    expect(error.message).toContain('indices.positives[0] is 4');
  });
});
