import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EmbError, type Index, quote, registry } from '@emb/core';
import { exactIndex } from '@emb/index';
import { loadIndex, saveIndex } from '@emb/index/node';

/** An index the CLI can persist: `exact` (saved with `saveIndex`) or a plugin's with `save(path)`. */
export type CliIndex = Index & { save?(path: string): Promise<void>; dispose?(): void };

/** Index types the CLI knows how to find: the registry name and the package that provides it. */
const INDEX_PLUGINS: Readonly<Record<string, string>> = { hnsw: '@emb/plugin-ann' };
const HNSW_MAGIC = 'EMBHNSW1';

/** Imports a plugin package from the CLI's own install, else from the working directory. */
async function importPlugin(pkg: string, why: string): Promise<Record<string, unknown>> {
  try {
    return (await import(pkg)) as Record<string, unknown>;
  } catch (first) {
    try {
      const url = pathToFileURL(createRequire(join(process.cwd(), 'noop.js')).resolve(pkg)).href;
      return (await import(url)) as Record<string, unknown>;
    } catch {
      throw new EmbError(
        'NOT_FOUND',
        `${why} needs ${pkg}, which is not installed: run \`npm install ${pkg}\` (beside @emb/cli). (${(first as Error).message.split('\n')[0]})`,
        { plugin: pkg },
        { cause: first },
      );
    }
  }
}

/** Throws `UNKNOWN_ENTRY` unless the CLI knows the index type `type`. */
export function assertIndexType(type: string): void {
  if (type === 'exact' || INDEX_PLUGINS[type] !== undefined) return;
  throw new EmbError(
    'UNKNOWN_ENTRY',
    `--index-type ${quote(type)} is not an index the CLI knows; use 'exact' or ${Object.keys(INDEX_PLUGINS)
      .map((t) => `'${t}'`)
      .join(', ')}.`,
    { type },
  );
}

/**
 * Creates an empty index of registry type `type` (`'exact'`, or `'hnsw'` from
 * `@emb/plugin-ann`, imported on demand) with `{ dim, distance, ...options }`.
 */
export async function createIndexByName(
  type: string,
  dim: number,
  distance: 'cosine' | 'l2',
  options: Readonly<Record<string, unknown>> = {},
): Promise<CliIndex> {
  if (type === 'exact') {
    if (Object.keys(options).length > 0) {
      throw new EmbError('INVALID_OPTION', `The exact index takes no --index-options, got ${quote(options)}.`);
    }
    return exactIndex({ dim, distance });
  }
  assertIndexType(type);
  const pkg = INDEX_PLUGINS[type] as string;
  if (!registry.has('index', type)) {
    const mod = await importPlugin(pkg, `--index-type ${type}`);
    const plugin = Object.entries(mod).find(([name]) => name.endsWith('Plugin'))?.[1];
    registry.use(plugin as Parameters<typeof registry.use>[0]);
  }
  return registry.create('index', type, { dim, distance, ...options }) as CliIndex;
}

function magicOf(path: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(8);
    const n = readSync(fd, head, 0, 8, 0);
    return head.subarray(0, n).toString('latin1');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Opens a saved index of any type the CLI knows, by its file's magic bytes. */
export async function openIndexFile(path: string, expect: { readonly dim?: number } = {}): Promise<CliIndex> {
  if (magicOf(path) === HNSW_MAGIC) {
    const mod = await importPlugin('@emb/plugin-ann', `The HNSW index ${quote(path)}`);
    const load = mod.loadHnswIndex as (p: string, e: { dim?: number }) => Promise<CliIndex>;
    return load(path, expect);
  }
  return loadIndex(path, expect);
}

/** Saves an index: exact ones with `saveIndex`, plugin ones with their own `save`. */
export async function saveIndexFile(index: CliIndex, path: string): Promise<void> {
  if (index.name === 'exact') return saveIndex(index as Parameters<typeof saveIndex>[0], path);
  if (typeof index.save !== 'function') {
    throw new EmbError('INVALID_ARGUMENT', `The ${quote(index.name)} index cannot be saved to a file (it has no save()).`);
  }
  return index.save(path);
}
