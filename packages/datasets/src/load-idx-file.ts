import { readFile } from 'node:fs/promises';
import { EmbError, quote } from '@emb/core';
import type { GunzipOptions } from './gunzip.js';
import type { IdxArray } from './parse-idx.js';
import { readIdx } from './read-idx.js';

/** @internal Reads a whole file, mapping failures to `EmbError('IO')` / `NOT_FOUND`. */
export async function readBytes(path: string, what: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'NOT_FOUND' : 'IO';
    throw new EmbError(code, `${what}: cannot read ${quote(path)} (${(cause as Error).message}).`, { path }, { cause });
  }
}

/**
 * Reads an IDX file (gzipped or not) from disk. Node only.
 *
 * @throws {EmbError} `NOT_FOUND` / `IO` when the file cannot be read, `CORRUPT_FILE` when it is
 *   not a valid IDX file (the message names the path).
 * @example
 * import { loadIdxFile } from '@emb/datasets/node';
 * const labels = await loadIdxFile('t10k-labels-idx1-ubyte.gz'); // { dtype: 'uint8', shape: [10000], data }
 */
export async function loadIdxFile(path: string, options: GunzipOptions = {}): Promise<IdxArray> {
  const bytes = await readBytes(path, 'loadIdxFile');
  try {
    return await readIdx(bytes, options);
  } catch (cause) {
    if (cause instanceof EmbError && cause.code === 'CORRUPT_FILE') {
      throw new EmbError('CORRUPT_FILE', `${quote(path)}: ${cause.message}`, { ...cause.details, path }, { cause });
    }
    throw cause;
  }
}
