import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs `fn` with the path of a file in a fresh private temporary directory (usearch reads and
 * writes its graph only through file paths) and removes the directory afterwards.
 * @internal
 */
export async function withTempFile<T>(fn: (path: string, read: () => Uint8Array) => Promise<T> | T): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'emb-hnsw-'));
  const file = join(dir, 'graph.usearch');
  try {
    return await fn(file, () => new Uint8Array(readFileSync(file)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
