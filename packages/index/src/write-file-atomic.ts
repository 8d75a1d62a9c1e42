import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { EmbError, quote } from '@emb/core';

let counter = 0;

/** Options of {@link writeFileAtomic}. */
export interface WriteFileAtomicOptions {
  /** What the error message says could not write (`'saveIndex'`, `'save'`). Default `'writeFileAtomic'`. */
  readonly caller?: string;
}

/**
 * Writes `bytes` to `path` atomically (Node only, from `@emb/index/node`): the bytes go to a
 * temporary file in the same directory, which is fsync'ed and then renamed over `path` (and
 * the directory fsync'ed), so a crash or a kill at any moment leaves either the previous file
 * or the new one, never a mixture. A failure removes the temporary file and throws
 * `EmbError('IO')` quoting `path`. Index backends use it for their `save`.
 *
 * @example
 * import { writeFileAtomic } from '@emb/index/node';
 * await writeFileAtomic('faces.hnsw', index.toBytes(), { caller: 'save' });
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array, options: WriteFileAtomicOptions = {}): Promise<void> {
  const caller = options.caller ?? 'writeFileAtomic';
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.${counter++}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      let written = 0;
      while (written < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, written, bytes.length - written);
        written += bytesWritten;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (cause) {
    await unlink(temp).catch(() => undefined);
    throw new EmbError('IO', `${caller} could not write ${quote(path)}: ${(cause as Error).message}`, { path }, { cause });
  }
  // Make the rename itself durable. Some platforms cannot fsync a directory; the data is
  // already safe there, so that failure is ignored.
  try {
    const dir = await open(dirname(path), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch {
    // ignore
  }
}
