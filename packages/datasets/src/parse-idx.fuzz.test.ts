import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createRng, isEmbError } from '@emb/core';
import { describe, expect, it } from 'vitest';
import { encodeIdx, parseIdx } from './parse-idx.js';
import { readIdx } from './read-idx.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url)));

const seeds: Uint8Array[] = [
  fixture('fashion-t10k-30-labels-idx1-ubyte'),
  encodeIdx({ dtype: 'int16', shape: [3, 2], data: Int16Array.of(1, -2, 3, -4, 5, -6) }),
  encodeIdx({ dtype: 'float64', shape: [2], data: Float64Array.of(0.5, 2) }),
  encodeIdx({ dtype: 'uint8', shape: [4, 5, 6], data: new Uint8Array(120).map((_, i) => i) }),
];

/** One random edit: flip, overwrite, insert, delete, truncate, or overwrite a header word with a big number. */
function mutate(input: Uint8Array, rng: ReturnType<typeof createRng>): Uint8Array {
  let b = Uint8Array.from(input);
  const edits = 1 + rng.int(4);
  for (let e = 0; e < edits; e++) {
    const at = b.length === 0 ? 0 : rng.int(b.length);
    switch (rng.int(6)) {
      case 0:
        if (b.length) b[at] = (b[at] as number) ^ (1 << rng.int(8));
        break;
      case 1:
        if (b.length) b[at] = rng.int(256);
        break;
      case 2: {
        const n = 1 + rng.int(8);
        const out = new Uint8Array(b.length + n);
        out.set(b.subarray(0, at));
        for (let i = 0; i < n; i++) out[at + i] = rng.int(256);
        out.set(b.subarray(at), at + n);
        b = out;
        break;
      }
      case 3:
        b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + 1 + rng.int(8))]);
        break;
      case 4:
        b = b.slice(0, at);
        break;
      default: {
        // Header words (rank and dimensions) are the interesting ones for allocation.
        const word = rng.int(Math.max(1, Math.min(8, Math.floor(b.length / 4))));
        if (b.length >= 4 * word + 4)
          new DataView(b.buffer).setUint32(
            4 * word,
            [0xffffffff, 0x7fffffff, 1 << rng.int(32), rng.int(1 << 16)][rng.int(4)] as number,
            false,
          );
      }
    }
  }
  return b;
}

describe('IDX parsing under fuzzing', () => {
  it('parseIdx either parses a mutated file consistently or throws CORRUPT_FILE, for 5,000 mutations', () => {
    const rng = createRng('idx-fuzz');
    let parsed = 0;
    for (let i = 0; i < 5000; i++) {
      const input = mutate(seeds[i % seeds.length] as Uint8Array, rng);
      try {
        const a = parseIdx(input);
        const count = a.shape.reduce((x, y) => x * y, 1);
        expect(a.data.length).toBe(count);
        // Never more data than bytes: nothing was allocated beyond the input's size.
        expect(a.data.byteLength).toBeLessThanOrEqual(input.length);
        parsed++;
      } catch (e) {
        if (!isEmbError(e, 'CORRUPT_FILE')) throw new Error(`mutation ${i} threw a non-CORRUPT_FILE error: ${String(e)}`);
      }
    }
    // Some mutations (a changed data byte) leave a valid file.
    expect(parsed).toBeGreaterThan(100);
  });

  it('readIdx on mutated gzip files either parses or throws CORRUPT_FILE, for 1,500 mutations', async () => {
    const rng = createRng('idx-gz-fuzz');
    const gzSeeds = [fixture('fashion-t10k-30-images-idx3-ubyte.gz').subarray(0, 4000), ...seeds.map((s) => gzipSync(s))];
    for (let i = 0; i < 1500; i++) {
      const input = mutate(gzSeeds[i % gzSeeds.length] as Uint8Array, rng);
      try {
        const a = await readIdx(input, { maxBytes: 1 << 20 });
        expect(a.data.length).toBe(a.shape.reduce((x, y) => x * y, 1));
      } catch (e) {
        if (!isEmbError(e, 'CORRUPT_FILE')) throw new Error(`gzip mutation ${i} threw a non-CORRUPT_FILE error: ${String(e)}`);
      }
    }
  });
});
