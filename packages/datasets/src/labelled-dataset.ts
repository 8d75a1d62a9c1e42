import { EmbError, isTensor, quote, toLabels } from '@emb/core';
import type { Tensor } from '@tensorflow/tfjs-core';

/**
 * A labelled dataset held in memory: `size` items of shape `itemShape`, stored row-major in
 * one `Float32Array`, with one integer class label each. Plain arrays, not tensors, so that
 * splitting and sub-sampling cost no GPU/WASM memory; {@link datasetToTensor} makes the
 * `[size, ...itemShape]` tensor when training needs it. `kind: 'labelled'` is what a trainer's
 * `data` option expects for class-labelled data.
 */
export interface LabelledDataset {
  readonly kind: 'labelled';
  /** A short name for logs and reports (`'mnist-digits'`, `'fashion-mnist-train'`, ...). */
  readonly name: string;
  /** Number of items. */
  readonly size: number;
  /** Shape of one item, e.g. `[28, 28, 1]` for a grey image or `[64]` for a vector. */
  readonly itemShape: readonly number[];
  /** `size * product(itemShape)` values, item after item. */
  readonly x: Float32Array;
  /** One class label per item. */
  readonly labels: Int32Array;
  /** Human-readable class names by label (`classNames[label]`), when known. */
  readonly classNames: readonly string[] | undefined;
}

/** Options of {@link inMemoryDataset}. */
export interface InMemoryDatasetOptions {
  /**
   * The items: a flat `Float32Array` (then `itemShape` is required), an array of rows (each a
   * number array or `Float32Array` of equal length), or a tensor whose first axis is the item.
   */
  readonly x: Float32Array | readonly (readonly number[] | Float32Array)[] | Tensor;
  /** One integer class label per item (`Int32Array`, `number[]` or a 1-D tensor). */
  readonly labels: Int32Array | readonly number[] | Tensor;
  /** Shape of one item. Default: `[rowLength]` for rows, `tensor.shape.slice(1)` for a tensor. */
  readonly itemShape?: readonly number[];
  /** Class names by label. Default: none. */
  readonly classNames?: readonly string[];
  /** Default `'in-memory'`. */
  readonly name?: string;
}

/** The number of values in one item of shape `shape`. */
export function itemLength(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function checkShape(shape: readonly number[]): void {
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new EmbError(
      'INVALID_ARGUMENT',
      `itemShape must be a non-empty array of positive integers (e.g. [28, 28, 1]), got ${quote(shape)}.`,
      { itemShape: shape },
    );
  }
}

/**
 * Wraps arrays (or a tensor) as a {@link LabelledDataset}, checking that there is one
 * integer label per item and that every value is finite. The data is copied only when it
 * is not already a `Float32Array` / `Int32Array`.
 *
 * @example
 * const ds = inMemoryDataset({ x: [[0, 1], [1, 0], [5, 5]], labels: [0, 0, 1] });
 * ds.size; // 3
 * ds.itemShape; // [2]
 * const images = inMemoryDataset({ x: pixels, itemShape: [28, 28, 1], labels });
 */
export function inMemoryDataset(options: InMemoryDatasetOptions): LabelledDataset {
  if (options === null || typeof options !== 'object') {
    throw new EmbError('INVALID_ARGUMENT', `inMemoryDataset needs { x, labels }, got ${quote(options)}.`);
  }
  const { x } = options;
  let data: Float32Array;
  let itemShape: readonly number[] | undefined = options.itemShape;
  if (isTensor(x)) {
    const t = x as Tensor;
    if (t.rank < 2) {
      throw new EmbError('SHAPE_MISMATCH', `x must have an item axis first ([N, ...itemShape]), got shape ${quote(t.shape)}.`, {
        shape: t.shape,
      });
    }
    data = Float32Array.from(t.dataSync() as ArrayLike<number>);
    itemShape ??= t.shape.slice(1);
  } else if (x instanceof Float32Array) {
    if (itemShape === undefined) {
      throw new EmbError(
        'INVALID_ARGUMENT',
        'inMemoryDataset: a flat Float32Array x needs itemShape (e.g. { itemShape: [28, 28, 1] }) to know where items end.',
      );
    }
    data = x;
  } else if (Array.isArray(x)) {
    const rows = x as readonly (readonly number[] | Float32Array)[];
    const width = rows[0]?.length ?? itemLength(itemShape ?? [1]);
    data = new Float32Array(rows.length * width);
    rows.forEach((row, i) => {
      if (row === null || typeof row !== 'object' || row.length !== width) {
        throw new EmbError(
          'SHAPE_MISMATCH',
          `x[${i}] has ${quote(row?.length)} values but x[0] has ${width}; every row needs the same length.`,
          {
            row: i,
          },
        );
      }
      data.set(row, i * width);
    });
    itemShape ??= [width];
  } else {
    throw new EmbError('INVALID_ARGUMENT', `x must be a Float32Array, an array of rows or a tensor, got ${quote(x)}.`);
  }
  checkShape(itemShape);
  const per = itemLength(itemShape);
  if (data.length % per !== 0) {
    throw new EmbError(
      'SHAPE_MISMATCH',
      `x has ${data.length} values, not a multiple of the item size ${per} (itemShape ${quote(itemShape)}).`,
      { length: data.length, itemShape },
    );
  }
  const size = data.length / per;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i] as number)) {
      throw new EmbError(
        'NON_FINITE',
        `x has a non-finite value ${quote(data[i])} in item ${Math.floor(i / per)}; clean the data first.`,
        {
          item: Math.floor(i / per),
        },
      );
    }
  }
  const labels = toLabels(options.labels as Int32Array, { name: 'labels', length: size });
  return createDataset({
    name: options.name ?? 'in-memory',
    x: data,
    labels,
    itemShape,
    classNames: options.classNames,
  });
}

/** @internal Builds a dataset from already-checked parts. */
export function createDataset(parts: {
  name: string;
  x: Float32Array;
  labels: Int32Array;
  itemShape: readonly number[];
  classNames: readonly string[] | undefined;
}): LabelledDataset {
  return Object.freeze({
    kind: 'labelled' as const,
    name: parts.name,
    size: parts.labels.length,
    itemShape: Object.freeze([...parts.itemShape]),
    x: parts.x,
    labels: parts.labels,
    classNames: parts.classNames === undefined ? undefined : Object.freeze([...parts.classNames]),
  });
}

/** @internal Throws unless `ds` looks like a {@link LabelledDataset}. */
export function assertDataset(ds: unknown, where: string): asserts ds is LabelledDataset {
  const d = ds as Partial<LabelledDataset> | null;
  if (
    d === null ||
    typeof d !== 'object' ||
    d.kind !== 'labelled' ||
    !(d.x instanceof Float32Array) ||
    !(d.labels instanceof Int32Array) ||
    !Array.isArray(d.itemShape)
  ) {
    throw new EmbError(
      'INVALID_ARGUMENT',
      `${where} expects a labelled dataset (from inMemoryDataset, loadMnistDigits, ...), got ${quote(ds)}.`,
    );
  }
}
