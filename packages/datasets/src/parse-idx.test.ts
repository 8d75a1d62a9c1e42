import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { isEmbError } from '@emb/core';
import { describe, expect, it } from 'vitest';
import { gunzip } from './gunzip.js';
import { idxDataset } from './idx-dataset.js';
import { encodeIdx, type IdxArray, parseIdx } from './parse-idx.js';
import { readIdx } from './read-idx.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url)));

function expectCorrupt(fn: () => unknown, message: RegExp): void {
  try {
    fn();
    expect.unreachable();
  } catch (e) {
    expect(isEmbError(e, 'CORRUPT_FILE')).toBe(true);
    expect((e as Error).message).toMatch(message);
  }
}

describe('parseIdx', () => {
  it('parseIdx reads every IDX element type, big-endian, and encodeIdx inverts it', () => {
    const arrays: IdxArray[] = [
      { dtype: 'uint8', shape: [2, 3], data: Uint8Array.of(0, 1, 2, 253, 254, 255) },
      { dtype: 'int8', shape: [3], data: Int8Array.of(-128, 0, 127) },
      { dtype: 'int16', shape: [2], data: Int16Array.of(-300, 300) },
      { dtype: 'int32', shape: [1, 2], data: Int32Array.of(-70000, 2 ** 31 - 1) },
      { dtype: 'float32', shape: [2], data: Float32Array.of(1.5, -0.25) },
      { dtype: 'float64', shape: [1, 1, 1], data: Float64Array.of(Math.PI) },
    ];
    for (const a of arrays) {
      const parsed = parseIdx(encodeIdx(a));
      expect(parsed.dtype).toBe(a.dtype);
      expect(parsed.shape).toEqual(a.shape);
      expect(Array.from(parsed.data)).toEqual(Array.from(a.data));
    }
    // Big-endian on disk: 300 = 0x012c.
    expect(Array.from(encodeIdx({ dtype: 'int16', shape: [1], data: Int16Array.of(300) }))).toEqual([
      0, 0, 0x0b, 1, 0, 0, 0, 1, 1, 0x2c,
    ]);
  });

  it('parseIdx reads the Fashion-MNIST fixture (gzipped images, plain labels)', async () => {
    const images = await readIdx(fixture('fashion-t10k-30-images-idx3-ubyte.gz'));
    expect(images.dtype).toBe('uint8');
    expect(images.shape).toEqual([30, 28, 28]);
    const labels = parseIdx(fixture('fashion-t10k-30-labels-idx1-ubyte'));
    expect(Array.from(labels.data).slice(0, 10)).toEqual([9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
  });

  it('parseIdx copies data out of a Node Buffer instead of viewing its shared pool', () => {
    const buf = Buffer.from(encodeIdx({ dtype: 'int8', shape: [2], data: Int8Array.of(-1, 1) }));
    const parsed = parseIdx(buf);
    expect(parsed.data.buffer.byteLength).toBe(2);
  });

  it('parseIdx rejects a bad magic number, an unknown type, rank 0 and a short header', () => {
    expectCorrupt(() => parseIdx(Uint8Array.of(0, 0)), /shorter than the 4-byte header/);
    expectCorrupt(() => parseIdx(Uint8Array.of(1, 0, 8, 1, 0, 0, 0, 0)), /two zero bytes/);
    expectCorrupt(() => parseIdx(Uint8Array.of(0, 0, 7, 1, 0, 0, 0, 0)), /unknown element type 0x07/);
    expectCorrupt(() => parseIdx(Uint8Array.of(0, 0, 8, 0)), /rank \(4th byte\) is 0/);
    expectCorrupt(() => parseIdx(Uint8Array.of(0, 0, 8, 3, 0, 0, 0, 1)), /declares 3 dimensions \(16 bytes\)/);
    expectCorrupt(() => parseIdx(gzipSync(Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 0))), /gzip-compressed; use readIdx/);
  });

  it('parseIdx rejects truncated data and trailing bytes, saying how many bytes it needed', () => {
    const good = encodeIdx({ dtype: 'int32', shape: [3], data: Int32Array.of(1, 2, 3) });
    expectCorrupt(
      () => parseIdx(good.subarray(0, good.length - 1)),
      /is truncated: shape \[3\] of int32 needs 12 bytes .* but 11 are present/,
    );
    const longer = new Uint8Array(good.length + 2);
    longer.set(good);
    expectCorrupt(() => parseIdx(longer), /has trailing bytes/);
  });

  it('parseIdx never allocates for a header that claims more data than the file holds', () => {
    // 60000 x 28 x 28 x 2^32 items declared in a 20-byte file: refused before any allocation.
    const header = Uint8Array.of(0, 0, 0x0e, 4, 0, 0, 0xea, 0x60, 0, 0, 0, 28, 0, 0, 0, 28, 0xff, 0xff, 0xff, 0xff);
    const t0 = performance.now();
    expectCorrupt(() => parseIdx(header), /is truncated/);
    expect(performance.now() - t0).toBeLessThan(50);
    // 255 dimensions of 2^32 - 1 overflow a double: still a clean CORRUPT_FILE.
    const wide = new Uint8Array(4 + 4 * 255).fill(0xff);
    wide.set([0, 0, 8, 255]);
    expectCorrupt(() => parseIdx(wide), /is truncated/);
  });
});

describe('readIdx and gunzip', () => {
  it('readIdx decompresses gzip and gives the same array as the plain bytes', async () => {
    const plain = encodeIdx({ dtype: 'float32', shape: [2, 2], data: Float32Array.of(1, 2, 3, 4) });
    const a = await readIdx(gzipSync(plain));
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4]);
    expect((await readIdx(plain)).shape).toEqual([2, 2]);
  });

  it('gunzip refuses to inflate beyond maxBytes (a gzip bomb)', async () => {
    const bomb = gzipSync(new Uint8Array(4 << 20));
    expect(bomb.length).toBeLessThan(10_000);
    await expect(gunzip(bomb, { maxBytes: 1 << 20 })).rejects.toMatchObject({ code: 'CORRUPT_FILE' });
    expect((await gunzip(bomb)).length).toBe(4 << 20);
  });

  it('gunzip turns damaged and truncated gzip data into CORRUPT_FILE', async () => {
    const gz = gzipSync(encodeIdx({ dtype: 'uint8', shape: [1000], data: new Uint8Array(1000).map((_, i) => i * 7) }));
    await expect(gunzip(gz.subarray(0, gz.length - 10))).rejects.toMatchObject({ code: 'CORRUPT_FILE' });
    const flipped = Uint8Array.from(gz);
    flipped[20] = (flipped[20] as number) ^ 0xff;
    await expect(readIdx(flipped)).rejects.toMatchObject({ code: 'CORRUPT_FILE' });
  });
});

describe('idxDataset', () => {
  it('idxDataset pairs images and labels into [N, 28, 28, 1] items scaled to [0, 1]', async () => {
    const ds = await idxDataset(fixture('fashion-t10k-30-images-idx3-ubyte.gz'), fixture('fashion-t10k-30-labels-idx1-ubyte'), {
      name: 'fixture',
    });
    expect(ds.size).toBe(30);
    expect(ds.itemShape).toEqual([28, 28, 1]);
    expect(Math.max(...ds.x)).toBeLessThanOrEqual(1);
    expect(Math.max(...ds.x)).toBeGreaterThan(0.9);
    expect(ds.labels[0]).toBe(9);
  });

  it('idxDataset refuses images and labels of different counts', async () => {
    const images = encodeIdx({ dtype: 'uint8', shape: [2, 2, 2], data: new Uint8Array(8) });
    const labels = encodeIdx({ dtype: 'uint8', shape: [3], data: new Uint8Array(3) });
    await expect(idxDataset(images, labels)).rejects.toThrow(/2 images but 3 labels/);
    const floatLabels = encodeIdx({ dtype: 'float32', shape: [2], data: new Float32Array(2) });
    await expect(idxDataset(images, floatLabels)).rejects.toThrow(/labels must be a 1-D array of integers/);
  });
});
