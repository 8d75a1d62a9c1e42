import { EmbError, quote } from '@emb/core';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** A decoded image: `height x width x channels` bytes, row-major. */
export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  readonly data: Uint8Array;
}

/** Options of {@link decodeImage}. */
export interface DecodeImageOptions {
  /** `3` (RGB, default) or `1` (grey: ITU-R BT.601 luma). Alpha is composited over black. */
  readonly channels?: 1 | 3;
  /** Refuse images with more pixels than this (a decompression-bomb guard). Default 50 million. */
  readonly maxPixels?: number;
  /** Named in error messages. */
  readonly name?: string;
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function isPng(b: Uint8Array): boolean {
  return b.length >= 8 && PNG_MAGIC.every((v, i) => b[i] === v);
}
function isJpeg(b: Uint8Array): boolean {
  return b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
}

/**
 * Decodes PNG or JPEG bytes (recognised by content, not by file name) with the pure-JS
 * decoders `pngjs` and `jpeg-js`. Node only (pngjs inflates with `node:zlib`).
 *
 * @throws {EmbError} `CORRUPT_FILE` when the bytes are neither PNG nor JPEG, cannot be
 *   decoded, or declare more than `maxPixels` pixels.
 * @example
 * import { decodeImage } from '@emb/datasets/node';
 * const { width, height, data } = decodeImage(await readFile('cat.png'), { channels: 1 });
 */
export function decodeImage(bytes: Uint8Array, options: DecodeImageOptions = {}): DecodedImage {
  const channels = options.channels ?? 3;
  if (channels !== 1 && channels !== 3) {
    throw new EmbError('INVALID_OPTION', `decodeImage: channels must be 1 or 3, got ${quote(channels)}.`, { option: 'channels' });
  }
  const maxPixels = options.maxPixels ?? 50_000_000;
  const name = options.name ?? 'image';
  let rgba: Uint8Array;
  let width: number;
  let height: number;
  try {
    if (isPng(bytes)) {
      // The IHDR chunk comes first: check the declared size before pngjs allocates for it.
      if (bytes.length < 24) throw new Error('truncated PNG header');
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const w = view.getUint32(16, false);
      const h = view.getUint32(20, false);
      if (w * h > maxPixels) throw new Error(`declares ${w} x ${h} pixels, more than maxPixels ${maxPixels}`);
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      ({ width, height } = png);
      rgba = png.data;
    } else if (isJpeg(bytes)) {
      const img = jpeg.decode(bytes, {
        useTArray: true,
        formatAsRGBA: true,
        maxResolutionInMP: maxPixels / 1e6,
        maxMemoryUsageInMB: 1024,
      });
      ({ width, height } = img);
      rgba = img.data;
    } else {
      throw new Error('not a PNG or JPEG file (unknown signature)');
    }
  } catch (cause) {
    throw new EmbError(
      'CORRUPT_FILE',
      `Cannot decode ${name}: ${(cause as Error)?.message ?? String(cause)}.`,
      { name },
      { cause },
    );
  }
  if (!(width > 0 && height > 0) || rgba.length < width * height * 4) {
    throw new EmbError(
      'CORRUPT_FILE',
      `Cannot decode ${name}: decoder returned ${width} x ${height} with ${rgba.length} bytes.`,
      { name },
    );
  }
  const n = width * height;
  const data = new Uint8Array(n * channels);
  for (let i = 0; i < n; i++) {
    const a = (rgba[4 * i + 3] as number) / 255;
    const r = (rgba[4 * i] as number) * a;
    const g = (rgba[4 * i + 1] as number) * a;
    const b = (rgba[4 * i + 2] as number) * a;
    if (channels === 1) data[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    else {
      data[3 * i] = Math.round(r);
      data[3 * i + 1] = Math.round(g);
      data[3 * i + 2] = Math.round(b);
    }
  }
  return Object.freeze({ width, height, channels, data });
}
