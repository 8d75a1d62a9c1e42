import { readFile } from 'node:fs/promises';
import { EmbError, quote } from '@emb/core';
import { type ExactIndex, exactIndexFromBytes } from './exact-index.js';
import type { IndexFileExpectation } from './index-file-format.js';
import { writeFileAtomic } from './write-file-atomic.js';

/**
 * Saves an exact index to `path` atomically: the bytes go to a temporary file in the same
 * directory, which is fsync'ed and then renamed over `path` (and the directory fsync'ed), so
 * a crash or a kill at any moment leaves either the previous file or the new one, never a
 * mixture. I/O failures throw `EmbError('IO')`.
 *
 * @example
 * import { saveIndex, loadIndex } from '@emb/index/node';
 * await saveIndex(index, 'faces.embidx');
 * const again = await loadIndex('faces.embidx', { dim: 128 });
 */
export async function saveIndex(index: ExactIndex, path: string): Promise<void> {
  if (index === null || typeof index !== 'object' || typeof index.toBytes !== 'function') {
    throw new EmbError('INVALID_ARGUMENT', `saveIndex expects an exact index (with toBytes()), got ${quote(index)}.`);
  }
  await writeFileAtomic(path, index.toBytes(), { caller: 'saveIndex' });
}

/**
 * Loads an index saved by {@link saveIndex}. A missing file throws `EmbError('IO')`; a
 * truncated or damaged one `CORRUPT_FILE`; a newer format `UNSUPPORTED_VERSION`; a file
 * whose dimension differs from `expect.dim` `DIMENSION_MISMATCH`.
 */
export async function loadIndex(path: string, expect: IndexFileExpectation = {}): Promise<ExactIndex> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new EmbError('IO', `loadIndex could not read ${quote(path)}: ${(cause as Error).message}`, { path }, { cause });
  }
  return exactIndexFromBytes(bytes, expect);
}
