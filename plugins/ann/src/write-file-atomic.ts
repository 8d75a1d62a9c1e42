import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { EmbError, quote } from '@emb/core';

let counter = 0;

/**
 * Writes `bytes` to `path` so that a crash at any moment leaves the previous file or the new
 * one, never a mixture: a temporary file in the same directory, fsync, rename, directory fsync.
 * @internal
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
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
    throw new EmbError('IO', `save could not write ${quote(path)}: ${(cause as Error).message}`, { path }, { cause });
  }
  try {
    const dir = await open(dirname(path), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch {
    // Some platforms cannot fsync a directory; the data itself is already durable.
  }
}
