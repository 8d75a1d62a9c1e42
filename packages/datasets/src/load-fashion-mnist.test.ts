import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEmbError } from '@emb/core';
import { afterAll, describe, expect, it } from 'vitest';
import { findFashionMnistDir, loadFashionMnist } from './load-fashion-mnist.js';

const installed = findFashionMnistDir();
const fixture = (name: string) => new URL(`../test/fixtures/${name}`, import.meta.url).pathname;

describe('loadFashionMnist', () => {
  const dir = mkdtempSync(join(tmpdir(), 'emb-fmnist-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loadFashionMnist says to apt-get install dataset-fashion-mnist when the files are missing', async () => {
    try {
      await loadFashionMnist({ dir: join(dir, 'nothing-here') });
      expect.unreachable();
    } catch (e) {
      expect(isEmbError(e, 'NOT_FOUND')).toBe(true);
      expect((e as Error).message).toMatch(/apt-get install dataset-fashion-mnist/);
    }
  });

  it('loadFashionMnist reads a folder laid out like the Debian package (gzipped or not)', async () => {
    copyFileSync(fixture('fashion-t10k-30-images-idx3-ubyte.gz'), join(dir, 't10k-images-idx3-ubyte.gz'));
    copyFileSync(fixture('fashion-t10k-30-labels-idx1-ubyte'), join(dir, 't10k-labels-idx1-ubyte'));
    copyFileSync(fixture('fashion-t10k-30-labels-idx1-ubyte'), join(dir, 'train-labels-idx1-ubyte'));
    expect(findFashionMnistDir({ dir })).toBe(dir);
    const test = await loadFashionMnist({ dir, split: 'test' });
    expect(test.size).toBe(30);
    expect(test.itemShape).toEqual([28, 28, 1]);
    expect(test.classNames?.[9]).toBe('Ankle boot');
    await expect(loadFashionMnist({ dir, split: 'train' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('loadFashionMnist looks only where EMB_FASHION_MNIST_DIR points when it is set', async () => {
    const saved = process.env.EMB_FASHION_MNIST_DIR;
    process.env.EMB_FASHION_MNIST_DIR = join(dir, 'elsewhere');
    try {
      expect(findFashionMnistDir()).toBeUndefined();
      await expect(loadFashionMnist({ split: 'test' })).rejects.toThrow(/elsewhere.*apt-get install dataset-fashion-mnist/);
      process.env.EMB_FASHION_MNIST_DIR = dir;
      expect((await loadFashionMnist({ split: 'test' })).size).toBe(30);
    } finally {
      if (saved === undefined) delete process.env.EMB_FASHION_MNIST_DIR;
      else process.env.EMB_FASHION_MNIST_DIR = saved;
    }
  });

  it.skipIf(installed === undefined)(
    'loadFashionMnist reads the installed Debian package: 10,000 test images of 10 classes',
    async () => {
      const test = await loadFashionMnist({ split: 'test' });
      expect(test.size).toBe(10_000);
      expect(test.name).toBe('fashion-mnist-test');
      const counts = new Map<number, number>();
      for (const l of test.labels) counts.set(l, (counts.get(l) ?? 0) + 1);
      expect([...counts.values()]).toEqual(new Array(10).fill(1000));
    },
  );
});
