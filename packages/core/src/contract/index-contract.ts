import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { SpecificationVersion } from './specification-version.js';

/** The identifier of an indexed vector. */
export type VectorId = string | number;

/** Vectors to add: a [N, D] tensor, rows of numbers, or one flat `Float32Array` of N * D values. */
export type VectorsLike = Tensor2D | readonly (readonly number[] | Float32Array)[] | Float32Array;

/** What is stored beside each vector. */
export interface AddOptions {
  readonly ids?: readonly VectorId[];
  readonly labels?: Int32Array | readonly number[];
  readonly metadata?: readonly (Readonly<Record<string, unknown>> | undefined)[];
}

/** A stored vector's identity, as returned by search and filters. */
export interface IndexEntry {
  readonly id: VectorId;
  readonly label: number | null;
  readonly metadata: Readonly<Record<string, unknown>> | undefined;
}

export interface SearchOptions {
  /** Keep only entries for which this returns true (applied before ranking). */
  readonly filter?: (entry: IndexEntry) => boolean;
}

/** One query's neighbours, nearest first. `distances` are in the index's metric (similarities for cosine / dot). */
export interface Neighbours {
  readonly ids: VectorId[];
  readonly labels: (number | null)[];
  readonly distances: Float32Array;
}

/**
 * A vector index: exact (`@emb/index`), approximate or SQL-backed (plugins). Methods are
 * async so that every backend can implement them.
 */
export interface Index {
  readonly specificationVersion: SpecificationVersion;
  readonly name: string;
  readonly dim: number;
  /** `'l2' | 'cosine' | 'dot'` or a plugin-defined metric name. */
  readonly metric: string;
  /** `true` when larger values mean closer (cosine, dot). */
  readonly isInverted: boolean;
  size(): Promise<number>;
  add(vectors: VectorsLike, options?: AddOptions): Promise<VectorId[]>;
  upsert(vectors: VectorsLike, options: AddOptions & { readonly ids: readonly VectorId[] }): Promise<VectorId[]>;
  remove(ids: readonly VectorId[]): Promise<number>;
  search(queries: VectorsLike, k: number, options?: SearchOptions): Promise<Neighbours[]>;
}
