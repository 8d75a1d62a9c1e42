import { createRng } from '@emb/core';

/** Seeded standard-normal rows and round-robin labels. */
export function randomBatch(seed: number, size: number, dim: number, classes: number): { rows: number[][]; labels: number[] } {
  const rng = createRng(seed);
  const rows = Array.from({ length: size }, () => Array.from({ length: dim }, () => rng.normal()));
  const labels = Array.from({ length: size }, (_, i) => i % classes);
  return { rows, labels };
}

/** A seeded permutation of 0..n-1. */
export function randomPermutation(seed: number, n: number): number[] {
  return createRng(seed).shuffle(Array.from({ length: n }, (_, i) => i));
}

/** The first non-finite entry of `values`, as `[flat index, value]`, or `null`. */
export function firstNonFinite(values: ArrayLike<number>): [number, number] | null {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i] as number)) return [i, values[i] as number];
  return null;
}

/** `[i][j]` for a flat index into a row-major matrix with `cols` columns. */
export function at2d(flat: number, cols: number): string {
  return `[${Math.floor(flat / cols)}][${flat % cols}]`;
}
