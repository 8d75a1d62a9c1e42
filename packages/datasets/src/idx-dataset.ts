import { EmbError, quote } from '@emb/core';
import type { GunzipOptions } from './gunzip.js';
import { createDataset, type LabelledDataset } from './labelled-dataset.js';
import type { IdxArray } from './parse-idx.js';
import { readIdx } from './read-idx.js';

/** Options of {@link idxDataset}. */
export interface IdxDatasetOptions extends GunzipOptions {
  /** Class names by label. Default: none. */
  readonly classNames?: readonly string[];
  /** Default `'idx'`. */
  readonly name?: string;
  /** Multiplies every value. Default `1 / 255` for `uint8` images (pixels to [0, 1]), else `1`. */
  readonly scale?: number;
}

const INTEGER_TYPES = new Set(['uint8', 'int8', 'int16', 'int32']);

async function toArray(input: Uint8Array | IdxArray, options: IdxDatasetOptions): Promise<IdxArray> {
  return input instanceof Uint8Array ? readIdx(input, options) : input;
}

/**
 * A labelled dataset from a pair of IDX files (MNIST layout): images `[N, H, W]` (items
 * become `[H, W, 1]`), `[N, H, W, C]` or vectors `[N, D]`, and labels `[N]` of an integer
 * type. Each input is the file's bytes (gzipped or not) or an already parsed {@link IdxArray}.
 *
 * @throws {EmbError} `CORRUPT_FILE` for invalid files (see `parseIdx`), `SHAPE_MISMATCH` when
 *   the labels are not 1-D or their count differs from the images'.
 * @example
 * const train = await idxDataset(imagesBytes, labelsBytes, { name: 'mnist-train' });
 * train.itemShape; // [28, 28, 1]
 */
export async function idxDataset(
  images: Uint8Array | IdxArray,
  labels: Uint8Array | IdxArray,
  options: IdxDatasetOptions = {},
): Promise<LabelledDataset> {
  const img = await toArray(images, options);
  const lab = await toArray(labels, options);
  if (img.shape.length < 2 || img.shape.length > 4) {
    throw new EmbError(
      'SHAPE_MISMATCH',
      `idxDataset: images must be [N, D], [N, H, W] or [N, H, W, C], got shape ${quote(img.shape)}.`,
      { shape: img.shape },
    );
  }
  if (lab.shape.length !== 1 || !INTEGER_TYPES.has(lab.dtype)) {
    throw new EmbError(
      'SHAPE_MISMATCH',
      `idxDataset: labels must be a 1-D array of integers, got ${lab.dtype} of shape ${quote(lab.shape)}.`,
      { shape: lab.shape, dtype: lab.dtype },
    );
  }
  const n = img.shape[0] as number;
  if (lab.shape[0] !== n) {
    throw new EmbError(
      'SHAPE_MISMATCH',
      `idxDataset: ${n} images but ${lab.shape[0]} labels; the two files must belong together.`,
      {
        images: n,
        labels: lab.shape[0],
      },
    );
  }
  const itemShape = img.shape.length === 3 ? [...img.shape.slice(1), 1] : img.shape.slice(1);
  if (itemShape.some((d) => d === 0)) {
    throw new EmbError('SHAPE_MISMATCH', `idxDataset: items of shape ${quote(itemShape)} are empty.`, { itemShape });
  }
  const scale = options.scale ?? (img.dtype === 'uint8' ? 1 / 255 : 1);
  const x = new Float32Array(img.data.length);
  for (let i = 0; i < x.length; i++) x[i] = (img.data[i] as number) * scale;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i] as number)) {
      throw new EmbError('NON_FINITE', `idxDataset: image value ${i} is ${quote(x[i])}.`, { index: i });
    }
  }
  return createDataset({
    name: options.name ?? 'idx',
    x,
    labels: Int32Array.from(lab.data as ArrayLike<number>),
    itemShape,
    classNames: options.classNames,
  });
}
