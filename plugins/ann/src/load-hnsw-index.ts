import { readFile } from 'node:fs/promises';
import { EmbError, quote } from '@emb/core';
import type { HnswFileExpectation } from './hnsw-file-format.js';
import { type HnswIndex, hnswIndexFromBytes } from './hnsw-index.js';

/**
 * Loads an index written by `index.save(path)`. A missing file throws `EmbError('IO')`, a
 * damaged one `CORRUPT_FILE`, a newer format `UNSUPPORTED_VERSION`, a dimension or metric
 * other than `expect.dim` / `expect.metric` `DIMENSION_MISMATCH` / `INVALID_ARGUMENT`.
 * `expect.efSearch` and `expect.threads` replace the saved settings.
 *
 * @example
 * import { loadHnswIndex } from '@emb/plugin-ann';
 * const index = await loadHnswIndex('products.hnsw', { dim: 128, efSearch: 200 });
 */
export async function loadHnswIndex(path: string, expect: HnswFileExpectation = {}): Promise<HnswIndex> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new EmbError('IO', `loadHnswIndex could not read ${quote(path)}: ${(cause as Error).message}`, { path }, { cause });
  }
  return hnswIndexFromBytes(bytes, expect);
}
