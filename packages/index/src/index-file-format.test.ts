import { crc32 as zlibCrc32 } from 'node:zlib';
import { createRng, isEmbError } from '@emb/core';
import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32.js';
import { exactIndex, exactIndexFromBytes } from './index.js';
import { HEADER_BYTES } from './index-file-format.js';
import { randomRows } from './test-helpers.js';

async function sampleBytes(): Promise<Uint8Array> {
  const index = exactIndex({ dim: 4, distance: 'cosine' });
  await index.add(randomRows(6, 4, 1), {
    labels: [1, 1, 2, 2, 3, 3],
    metadata: [{ who: 'a' }, undefined, { who: 'é' }, undefined, {}, { n: 1 }],
  });
  await index.add(randomRows(2, 4, 2), { ids: ['x', 'y'] });
  return index.toBytes();
}

function withCrc(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view.setUint32(bytes.length - 4, crc32(bytes, 0, bytes.length - 4), true);
  return bytes;
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (isEmbError(e)) return e.code;
    throw e;
  }
  return undefined;
}

describe('index file format', () => {
  it('crc32 equals zlib crc32', () => {
    const rng = createRng(3);
    for (const n of [0, 1, 3, 4, 5, 1000, 4097]) {
      const b = Uint8Array.from({ length: n }, () => rng.int(256));
      expect(crc32(b)).toBe(zlibCrc32(b));
    }
  });

  it('starts with the magic and version 1 and ends with the checksum of the rest', async () => {
    const bytes = await sampleBytes();
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('EMBINDEX');
    const view = new DataView(bytes.buffer);
    expect(view.getUint16(8, true)).toBe(1);
    expect(view.getUint32(16, true)).toBe(4);
    expect(view.getUint32(20, true)).toBe(8);
    expect(view.getUint32(bytes.length - 4, true)).toBe(zlibCrc32(bytes.subarray(0, bytes.length - 4)));
  });

  it('exactIndexFromBytes rejects truncated, foreign and damaged files with CORRUPT_FILE', async () => {
    const bytes = await sampleBytes();
    for (const n of [0, 10, HEADER_BYTES, bytes.length - 1])
      expect(codeOf(() => exactIndexFromBytes(bytes.slice(0, n)))).toBe('CORRUPT_FILE');
    const foreign = bytes.slice();
    foreign[0] = 0x50;
    expect(codeOf(() => exactIndexFromBytes(foreign))).toBe('CORRUPT_FILE');
    const flipped = bytes.slice();
    flipped[HEADER_BYTES + 5] = (flipped[HEADER_BYTES + 5] as number) ^ 1;
    expect(codeOf(() => exactIndexFromBytes(flipped))).toBe('CORRUPT_FILE');
    expect(codeOf(() => exactIndexFromBytes('EMBINDEX' as never))).toBe('INVALID_ARGUMENT');
  });

  it('exactIndexFromBytes reports a newer format as UNSUPPORTED_VERSION and a wrong dimension as DIMENSION_MISMATCH', async () => {
    const bytes = await sampleBytes();
    const v2 = bytes.slice();
    new DataView(v2.buffer).setUint16(8, 2, true);
    expect(codeOf(() => exactIndexFromBytes(withCrc(v2)))).toBe('UNSUPPORTED_VERSION');
    expect(codeOf(() => exactIndexFromBytes(bytes, { dim: 8 }))).toBe('DIMENSION_MISMATCH');
    expect(codeOf(() => exactIndexFromBytes(bytes, { metric: 'l2' }))).toBe('INVALID_ARGUMENT');
  });

  it('a huge count or dim in the header is rejected before anything is allocated', async () => {
    const bytes = await sampleBytes();
    for (const [offset, value] of [
      [16, 0xffffffff],
      [20, 0xffffffff],
      [24, 0xfffffff0],
      [28, 0x7fffffff],
    ] as const) {
      const b = bytes.slice();
      new DataView(b.buffer).setUint32(offset, value, true);
      const t = performance.now();
      expect(codeOf(() => exactIndexFromBytes(withCrc(b)))).toBe('CORRUPT_FILE');
      expect(performance.now() - t).toBeLessThan(100);
    }
  });

  it('thousands of mutated files give only typed errors (or a valid index), never a crash', async () => {
    const original = await sampleBytes();
    const rng = createRng(42);
    const t0 = performance.now();
    const codes = new Map<string, number>();
    let loaded = 0;
    for (let trial = 0; trial < 4000; trial++) {
      let b = original.slice();
      const kind = rng.int(5);
      if (kind === 0)
        b = b.slice(0, rng.int(b.length)); // truncation
      else if (kind === 1) {
        for (let f = 1 + rng.int(4); f > 0; f--) {
          const i = rng.int(b.length);
          b[i] = (b[i] as number) ^ (1 << rng.int(8));
        }
      } else if (kind === 2) {
        // Length and count fields with random or extreme values.
        const view = new DataView(b.buffer);
        const field = [16, 20, 24, 28, 32, 36][rng.int(6)] as number;
        view.setUint32(
          field,
          [0, 1, 0xffffffff, rng.int(1 << 30), (view.getUint32(field, true) + rng.int(3) - 1) >>> 0][rng.int(5)] as number,
          true,
        );
      } else if (kind === 3) {
        // Garbage spliced into the body, sizes kept.
        const at = HEADER_BYTES + rng.int(b.length - HEADER_BYTES - 4);
        for (let i = at; i < Math.min(at + 1 + rng.int(16), b.length - 4); i++) b[i] = rng.int(256);
      } else {
        b = Uint8Array.from({ length: rng.int(200) }, () => rng.int(256));
        b.set(original.subarray(0, Math.min(8, b.length)));
      }
      // Half the time fix the checksum, so that the structural checks behind it are exercised.
      const fixed = rng.next() < 0.5 && b.length >= 4;
      if (fixed) withCrc(b);
      const unchanged = b.length === original.length && b.every((x, i) => x === original[i]);
      try {
        const index = exactIndexFromBytes(b);
        // Without a recomputed checksum, any change is detected; with one, a flipped bit in
        // a vector or label is a different valid index, which must still be consistent.
        expect(fixed || unchanged).toBe(true);
        expect(await index.size()).toBeLessThanOrEqual(8);
        loaded++;
      } catch (e) {
        expect(isEmbError(e), String(e)).toBe(true);
        const code = (e as { code: string }).code;
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
    }
    expect([...codes.keys()].every((c) => ['CORRUPT_FILE', 'UNSUPPORTED_VERSION'].includes(c))).toBe(true);
    expect(codes.get('CORRUPT_FILE')).toBeGreaterThan(3000);
    expect(loaded).toBeLessThan(1000);
    expect(performance.now() - t0).toBeLessThan(10_000);
  });
});
