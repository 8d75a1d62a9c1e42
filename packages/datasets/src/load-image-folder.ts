import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { EmbError, quote } from '@emb/core';
import { decodeImage } from './decode-image.js';
import { createDataset, type LabelledDataset } from './labelled-dataset.js';
import { readBytes } from './load-idx-file.js';
import { resizeToFloat } from './resize-image.js';

/** Options of {@link loadImageFolder}. */
export interface LoadImageFolderOptions {
  /** Resize every image to this width. Default: the first image's (then all must match). */
  readonly width?: number;
  /** Resize every image to this height. Default: the first image's (then all must match). */
  readonly height?: number;
  /** `3` (RGB, default) or `1` (grey). */
  readonly channels?: 1 | 3;
  /** File extensions read (lower case, with the dot). Default `['.png', '.jpg', '.jpeg']`. */
  readonly extensions?: readonly string[];
  /** Read at most this many images per class (the first by file name). Default: all. */
  readonly maxPerClass?: number;
  /** Default: the folder's base name. */
  readonly name?: string;
}

async function entries(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'NOT_FOUND' : 'IO';
    throw new EmbError(
      code,
      `loadImageFolder: cannot read the folder ${quote(dir)} (${(cause as Error).message}).`,
      { dir },
      { cause },
    );
  }
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * A labelled dataset from a folder with one sub-folder per class (`root/cat/1.png`,
 * `root/dog/a.jpg`, ...), the layout of torchvision's ImageFolder. Classes are the
 * sub-folders in name order (labels 0, 1, ...; `classNames` are the folder names); images
 * are decoded with `pngjs` / `jpeg-js` to items `[height, width, channels]` in [0, 1].
 * Hidden files and other extensions are skipped. Node only.
 *
 * @throws {EmbError} `NOT_FOUND` when `root` does not exist, `INVALID_ARGUMENT` when it has no
 *   class folder or no image, `CORRUPT_FILE` (naming the file) when an image cannot be
 *   decoded, `SHAPE_MISMATCH` when sizes differ and no `width` / `height` was given.
 * @example
 * import { loadImageFolder } from '@emb/datasets/node';
 * const products = await loadImageFolder('photos/', { width: 64, height: 64 });
 * products.classNames; // ['mug', 'plate', ...]
 */
export async function loadImageFolder(root: string, options: LoadImageFolderOptions = {}): Promise<LabelledDataset> {
  for (const key of ['width', 'height', 'maxPerClass'] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
      throw new EmbError('INVALID_OPTION', `loadImageFolder: ${key} must be a positive integer, got ${quote(value)}.`, {
        option: key,
      });
    }
  }
  const channels = options.channels ?? 3;
  const extensions = new Set((options.extensions ?? ['.png', '.jpg', '.jpeg']).map((e) => e.toLowerCase()));
  const classDirs = (await entries(root)).filter((e) => e.isDirectory() && !e.name.startsWith('.')).sort(byName);
  if (classDirs.length === 0) {
    throw new EmbError(
      'INVALID_ARGUMENT',
      `loadImageFolder: ${quote(root)} has no sub-folders; put the images of each class in their own sub-folder (root/cat/1.png, root/dog/2.png).`,
      { root },
    );
  }
  let width = options.width;
  let height = options.height;
  const items: Float32Array[] = [];
  const labels: number[] = [];
  for (const [label, dir] of classDirs.entries()) {
    const files = (await entries(join(root, dir.name)))
      .filter((e) => e.isFile() && !e.name.startsWith('.') && extensions.has(extname(e.name).toLowerCase()))
      .sort(byName)
      .slice(0, options.maxPerClass ?? Number.POSITIVE_INFINITY);
    for (const file of files) {
      const path = join(root, dir.name, file.name);
      const image = decodeImage(await readBytes(path, 'loadImageFolder'), { channels, name: quote(path) });
      width ??= image.width;
      height ??= image.height;
      if (options.width === undefined && options.height === undefined && (image.width !== width || image.height !== height)) {
        throw new EmbError(
          'SHAPE_MISMATCH',
          `loadImageFolder: ${quote(path)} is ${image.width} x ${image.height} but earlier images are ${width} x ${height}; pass { width, height } to resize them all.`,
          { path, width: image.width, height: image.height },
        );
      }
      items.push(resizeToFloat(image, width, height ?? image.height));
      labels.push(label);
    }
  }
  if (items.length === 0 || width === undefined || height === undefined) {
    throw new EmbError(
      'INVALID_ARGUMENT',
      `loadImageFolder: no image with extension ${[...extensions].join(', ')} under ${quote(root)}.`,
      { root },
    );
  }
  const per = width * height * channels;
  const x = new Float32Array(items.length * per);
  items.forEach((item, i) => {
    x.set(item, i * per);
  });
  return createDataset({
    name:
      options.name ??
      (root
        .replace(/[\\/]+$/, '')
        .split(/[\\/]/)
        .pop() ||
        'images'),
    x,
    labels: Int32Array.from(labels),
    itemShape: [height, width, channels],
    classNames: classDirs.map((d) => d.name),
  });
}
