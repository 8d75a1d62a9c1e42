import { type GunzipOptions, gunzip } from './gunzip.js';
import { type IdxArray, isGzip, parseIdx } from './parse-idx.js';

/**
 * Parses IDX bytes, gzipped (`.gz`, detected by its magic number) or not. Browser-safe: the
 * Node entry's `loadIdxFile` reads a path.
 *
 * @param options `maxBytes`: the largest decompressed size accepted (default 1 GiB).
 * @throws {EmbError} `CORRUPT_FILE` for damaged gzip data or an invalid IDX array (see {@link parseIdx}).
 * @example
 * const images = await readIdx(await (await fetch('train-images-idx3-ubyte.gz')).bytes());
 */
export async function readIdx(bytes: Uint8Array, options: GunzipOptions = {}): Promise<IdxArray> {
  return parseIdx(isGzip(bytes) ? await gunzip(bytes, options) : bytes);
}
