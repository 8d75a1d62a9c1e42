import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, isEmbError } from '@emb/core';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeImage } from './decode-image.js';
import { loadImageFolder } from './load-image-folder.js';

function png(width: number, height: number, rgba: (x: number, y: number) => [number, number, number, number]): Buffer {
  const img = new PNG({ width, height });
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) img.data.set(rgba(x, y), 4 * (y * width + x));
  return PNG.sync.write(img);
}

function jpg(width: number, height: number, grey: number): Buffer {
  const data = Buffer.alloc(width * height * 4, grey);
  return jpeg.encode({ width, height, data }, 95).data;
}

describe('loadImageFolder', () => {
  const root = mkdtempSync(join(tmpdir(), 'emb-images-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'bright'));
  mkdirSync(join(root, 'dark'));
  mkdirSync(join(root, '.hidden'));
  writeFileSync(
    join(root, 'bright', 'a.png'),
    png(4, 3, () => [255, 255, 255, 255]),
  );
  writeFileSync(join(root, 'bright', 'b.jpg'), jpg(4, 3, 250));
  writeFileSync(join(root, 'bright', 'notes.txt'), 'not an image');
  writeFileSync(
    join(root, 'dark', 'c.png'),
    png(4, 3, (x) => [x * 10, 0, 0, 255]),
  );

  it('loadImageFolder labels images by sub-folder in name order and scales pixels to [0, 1]', async () => {
    const ds = await loadImageFolder(root);
    expect(ds.classNames).toEqual(['bright', 'dark']);
    expect(Array.from(ds.labels)).toEqual([0, 0, 1]);
    expect(ds.itemShape).toEqual([3, 4, 3]);
    expect(ds.x[0]).toBe(1);
    expect(ds.x[ds.x.length / 3 + 1]).toBeGreaterThan(0.95); // the JPEG, lossy
    const dark = ds.x.subarray((2 * ds.x.length) / 3);
    expect(dark[3]).toBeCloseTo(10 / 255, 5); // pixel x = 1, red
  });

  it('loadImageFolder converts to grey and resizes when asked', async () => {
    const ds = await loadImageFolder(root, { channels: 1, width: 2, height: 2, maxPerClass: 1 });
    expect(ds.itemShape).toEqual([2, 2, 1]);
    expect(ds.size).toBe(2);
    expect(ds.x[0]).toBeCloseTo(1, 5);
  });

  it('loadImageFolder asks for { width, height } when image sizes differ', async () => {
    const other = join(root, '..', `${root.split('/').pop()}-sizes`);
    mkdirSync(join(other, 'a'), { recursive: true });
    try {
      writeFileSync(
        join(other, 'a', '1.png'),
        png(2, 2, () => [0, 0, 0, 255]),
      );
      writeFileSync(
        join(other, 'a', '2.png'),
        png(3, 2, () => [0, 0, 0, 255]),
      );
      await expect(loadImageFolder(other)).rejects.toThrow(/pass \{ width, height \} to resize/);
      expect((await loadImageFolder(other, { width: 2, height: 2 })).size).toBe(2);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('loadImageFolder names the file that cannot be decoded (CORRUPT_FILE)', async () => {
    const bad = join(root, '..', `${root.split('/').pop()}-bad`);
    mkdirSync(join(bad, 'a'), { recursive: true });
    try {
      writeFileSync(join(bad, 'a', 'broken.png'), png(4, 4, () => [1, 2, 3, 255]).subarray(0, 40));
      await loadImageFolder(bad);
      expect.unreachable();
    } catch (e) {
      expect(isEmbError(e, 'CORRUPT_FILE')).toBe(true);
      expect((e as Error).message).toMatch(/broken\.png/);
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });

  it('loadImageFolder refuses a folder without class sub-folders', async () => {
    await expect(loadImageFolder(join(root, 'dark'))).rejects.toThrow(/has no sub-folders/);
    await expect(loadImageFolder(join(root, 'missing'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('decodeImage', () => {
  it('decodeImage refuses a PNG header that declares more pixels than maxPixels, before decoding', () => {
    const bytes = png(4, 4, () => [0, 0, 0, 255]);
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    view.setUint32(16, 100_000);
    view.setUint32(20, 100_000);
    expect(() => decodeImage(bytes)).toThrow(/more than maxPixels/);
  });

  it('decodeImage either decodes or throws CORRUPT_FILE on 1,000 mutated PNG and JPEG files', () => {
    const rng = createRng('image-fuzz');
    const seeds = [png(6, 5, (x, y) => [x * 40, y * 40, 7, 200]), jpg(8, 8, 99)];
    for (let i = 0; i < 1000; i++) {
      const b = Uint8Array.from(seeds[i % 2] as Buffer);
      for (let e = 0; e < 1 + rng.int(3); e++) {
        const at = rng.int(b.length);
        b[at] = rng.int(256);
      }
      const input = rng.int(4) === 0 ? b.subarray(0, rng.int(b.length)) : b;
      try {
        const img = decodeImage(input, { maxPixels: 1 << 20 });
        expect(img.data.length).toBe(img.width * img.height * 3);
      } catch (err) {
        if (!isEmbError(err, 'CORRUPT_FILE')) throw new Error(`mutation ${i}: ${String(err)}`);
      }
    }
  });
});
