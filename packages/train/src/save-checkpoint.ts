import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { EmbError, quote } from '@emb/core';
import { decodeSnapshot } from './decode-snapshot.js';
import { encodeSnapshot } from './encode-snapshot.js';
import type { TrainingSnapshot } from './training-snapshot.js';

/** The file name a checkpoint directory holds. */
export const CHECKPOINT_FILE = 'checkpoint.embtrain';

function ioError(action: string, path: string, cause: unknown): EmbError {
  const code = (cause as { code?: string }).code;
  return new EmbError(
    'IO',
    `Could not ${action} ${quote(path)}${code ? ` (${code})` : ''}: ${(cause as Error).message}`,
    { path, code },
    { cause },
  );
}

/**
 * Writes a snapshot to `dir/checkpoint.embtrain` atomically: the bytes go to a temporary
 * file in the same directory, which is flushed to disk (fsync) and then renamed over the old
 * checkpoint, so a crash leaves either the old or the new checkpoint, never a torn one. The
 * layout (with its CRC-32) is `encodeSnapshot`'s.
 *
 * @returns The checkpoint's path.
 * @throws {EmbError} `IO` when the directory or file cannot be written.
 * @example
 * await saveCheckpoint('runs/mnist', await ctx.snapshot());
 */
export async function saveCheckpoint(dir: string, snapshot: TrainingSnapshot): Promise<string> {
  if (typeof dir !== 'string' || dir.length === 0) {
    throw new EmbError('INVALID_ARGUMENT', `saveCheckpoint: 'dir' must be a directory path, got ${quote(dir)}.`);
  }
  const bytes = encodeSnapshot(snapshot);
  const target = join(dir, CHECKPOINT_FILE);
  const tmp = join(dir, `.${CHECKPOINT_FILE}.${process.pid}.${Date.now()}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
  } catch (cause) {
    throw ioError('create the checkpoint directory', dir, cause);
  }
  try {
    const file = await open(tmp, 'w');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, target);
  } catch (cause) {
    await rm(tmp, { force: true }).catch(() => {});
    throw ioError('write the checkpoint', target, cause);
  }
  try {
    // Make the rename itself durable; some platforms cannot fsync a directory.
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // best effort
  }
  return target;
}

/**
 * Reads the checkpoint in `dir` (or the `.embtrain` file at `path`), checking its checksum.
 *
 * @throws {EmbError} `NOT_FOUND` when there is no checkpoint, `CORRUPT_FILE` when it is
 *   damaged, `UNSUPPORTED_VERSION` when a newer `@emb/train` wrote it, `IO` otherwise.
 * @example
 * const snapshot = await loadCheckpoint('runs/mnist');
 * await fit({ ...options, resumeFrom: snapshot });
 */
export async function loadCheckpoint(path: string): Promise<TrainingSnapshot> {
  if (typeof path !== 'string' || path.length === 0) {
    throw new EmbError('INVALID_ARGUMENT', `loadCheckpoint: 'path' must be a directory or file path, got ${quote(path)}.`);
  }
  let file = path;
  try {
    if ((await stat(path)).isDirectory()) file = join(path, CHECKPOINT_FILE);
  } catch (cause) {
    if ((cause as { code?: string }).code !== 'ENOENT') throw ioError('read', path, cause);
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (cause) {
    if ((cause as { code?: string }).code === 'ENOENT') {
      throw new EmbError(
        'NOT_FOUND',
        `No checkpoint at ${quote(file)}. Train with checkpoint({ dir }) first, or check the path passed to resumeFrom.`,
        { path: file },
      );
    }
    throw ioError('read the checkpoint', file, cause);
  }
  return decodeSnapshot(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), file);
}
