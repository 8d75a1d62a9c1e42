import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EmbError, quote } from '@emb/core';
import { fashionMnistClassNames } from './fashion-mnist-class-names.js';
import { idxDataset } from './idx-dataset.js';
import type { LabelledDataset } from './labelled-dataset.js';
import { loadIdxFile } from './load-idx-file.js';

/** Where Debian's `dataset-fashion-mnist` package installs the files (`dpkg -L dataset-fashion-mnist`). */
export const FASHION_MNIST_DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';

/** Options of {@link loadFashionMnist}. */
export interface LoadFashionMnistOptions {
  /** `'train'` (60,000 images) or `'test'` (10,000). Default `'train'`. */
  readonly split?: 'train' | 'test';
  /**
   * The folder holding `train-images-idx3-ubyte(.gz)` and friends. Default: the
   * `EMB_FASHION_MNIST_DIR` environment variable, else Debian's install location
   * {@link FASHION_MNIST_DEBIAN_DIR}.
   */
  readonly dir?: string;
}

const PREFIX = { train: 'train', test: 't10k' } as const;

function fileIn(dir: string, base: string): string | undefined {
  for (const name of [`${base}.gz`, base]) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/**
 * The folder with the Fashion-MNIST files, or `undefined` when they are not installed
 * (tests use this to skip). Looks only at `dir` when given, else only at
 * `$EMB_FASHION_MNIST_DIR` when set, else at Debian's location.
 *
 * @example
 * const dir = findFashionMnistDir(); // '/usr/share/datasets/fashion-mnist' after apt-get install dataset-fashion-mnist
 */
export function findFashionMnistDir(options: { readonly dir?: string } = {}): string | undefined {
  // An explicit folder (option, then environment) is the only place looked at: no silent fallback.
  const dir = options.dir ?? (process.env.EMB_FASHION_MNIST_DIR || FASHION_MNIST_DEBIAN_DIR);
  return fileIn(dir, 'train-labels-idx1-ubyte') && fileIn(dir, 't10k-labels-idx1-ubyte') ? dir : undefined;
}

/**
 * Fashion-MNIST (Zalando; 28 x 28 grey images of 10 kinds of clothing) from Debian's
 * `dataset-fashion-mnist` package, as a labelled dataset with items `[28, 28, 1]` in [0, 1]
 * and `classNames` ("T-shirt/top", "Trouser", ...). Node only; nothing is downloaded.
 *
 * @throws {EmbError} `NOT_FOUND` when the files are missing, with the install command
 *   (`apt-get install dataset-fashion-mnist`); `CORRUPT_FILE` when they are damaged.
 * @example
 * import { loadFashionMnist } from '@emb/datasets/node';
 * const test = await loadFashionMnist({ split: 'test' });
 */
export async function loadFashionMnist(options: LoadFashionMnistOptions = {}): Promise<LabelledDataset> {
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'test') {
    throw new EmbError('INVALID_OPTION', `loadFashionMnist: split must be 'train' or 'test', got ${quote(split)}.`, {
      option: 'split',
      value: split,
    });
  }
  const dir = options.dir ?? (process.env.EMB_FASHION_MNIST_DIR || FASHION_MNIST_DEBIAN_DIR);
  const images = fileIn(dir, `${PREFIX[split]}-images-idx3-ubyte`);
  const labels = fileIn(dir, `${PREFIX[split]}-labels-idx1-ubyte`);
  if (!images || !labels) {
    const where = quote(dir);
    throw new EmbError(
      'NOT_FOUND',
      `Fashion-MNIST is not installed: no ${PREFIX[split]}-images-idx3-ubyte(.gz) and ${PREFIX[split]}-labels-idx1-ubyte(.gz) in ${where}. ` +
        'On Debian or Ubuntu install it with `apt-get install dataset-fashion-mnist` (as root, or with sudo), ' +
        'or point EMB_FASHION_MNIST_DIR at a folder holding the four IDX files.',
      { dir, split },
    );
  }
  return idxDataset(await loadIdxFile(images), await loadIdxFile(labels), {
    name: `fashion-mnist-${split}`,
    classNames: fashionMnistClassNames,
  });
}
