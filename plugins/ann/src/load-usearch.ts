import { createRequire } from 'node:module';
import { EmbError } from '@emb/core';

/** The part of usearch's `Index` class this plugin uses. @internal */
export interface NativeIndex {
  add(keys: BigUint64Array, vectors: Float32Array, threads: number): void;
  search(vectors: Float32Array, k: number, threads: number): NativeMatches | NativeBatchMatches;
  remove(keys: BigUint64Array): number | number[];
  size(): number;
  save(path: string): void;
  load(path: string): void;
}

/** One query's matches (usearch returns this for a single query). @internal */
export interface NativeMatches {
  readonly keys: BigUint64Array;
  readonly distances: Float32Array;
}

/** A batch's matches: row `i` holds `counts[i]` results starting at `i * k`. @internal */
export interface NativeBatchMatches extends NativeMatches {
  readonly counts: BigUint64Array;
  readonly k: number;
}

/** The constructor options of usearch's `Index`. @internal */
export interface NativeIndexConfig {
  dimensions: number;
  metric: 'l2sq' | 'ip';
  quantization: 'f32' | 'f16' | 'bf16';
  connectivity: number;
  expansion_add: number;
  expansion_search: number;
  multi: boolean;
}

/** The usearch module as this plugin sees it. @internal */
export interface UsearchModule {
  Index: new (config: NativeIndexConfig) => NativeIndex;
}

let cached: UsearchModule | undefined;

/**
 * Loads usearch (its native addon) on first use, so that importing this package never fails:
 * only creating an index does, with an `EmbError('BACKEND')` that names the platform, the
 * Node version and the fix. `requireFn` replaces Node's `require` (tests use it to simulate
 * a platform without a binary); the module loaded by the default one is cached.
 * @internal
 */
export function loadUsearch(requireFn?: (id: string) => unknown): UsearchModule {
  if (requireFn === undefined && cached) return cached;
  try {
    const mod = (requireFn ?? createRequire(import.meta.url))('usearch') as Partial<UsearchModule> & {
      default?: Partial<UsearchModule>;
    };
    const Index = mod.Index ?? mod.default?.Index;
    if (typeof Index !== 'function') throw new Error('the usearch module exports no Index class');
    const loaded: UsearchModule = { Index };
    if (requireFn === undefined) cached = loaded;
    return loaded;
  } catch (cause) {
    throw nativeLoadError(cause);
  }
}

/** The error thrown when the native module cannot load. @internal */
export function nativeLoadError(cause: unknown): EmbError {
  const platform = `${process.platform}-${process.arch}`;
  const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
  return new EmbError(
    'BACKEND',
    `@emb/plugin-ann could not load usearch's native module on ${platform} with Node ${process.versions.node} (N-API ${process.versions.napi}): ${reason}. ` +
      'usearch ships prebuilt binaries for linux-x64, linux-arm64, darwin-x64/arm64 and win32-x64 (glibc Linux; Alpine/musl has none). ' +
      'On another platform, install a C++ toolchain and Python and run `npm rebuild usearch` to compile it, ' +
      "or reinstall without --ignore-scripts; otherwise use the exact index of @emb/index (registry name 'exact').",
    { platform, node: process.versions.node, napi: process.versions.napi },
    { cause },
  );
}
