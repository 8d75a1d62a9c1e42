import { EmbError, type IndexEntry, quote } from '@emb/core';

/** Options of {@link checkSearchArgs}. */
export interface CheckSearchArgsOptions {
  /** How the error message lists the backend's search options. Default `'{ filter? }'`. */
  readonly optionNames?: string;
}

/**
 * Checks the arguments of an `Index.search(queries, k, options)` call the way `exactIndex`
 * does and returns the `filter` (or `undefined`): `k` must be a positive integer
 * (`INVALID_ARGUMENT`) and at most `size` (`K_TOO_LARGE`, saying how many vectors the index
 * holds; pass `Infinity` when the size is not known cheaply), `options` an object and its
 * `filter` a function (`INVALID_ARGUMENT`). Part of the toolkit for index-backend authors;
 * read the queries with {@link toVectorRows}.
 *
 * @example
 * search(queries, k, opts) {
 *   const filter = checkSearchArgs(k, size, opts);
 *   const q = toVectorRows(queries, dim, 'queries');
 *   // ...
 * }
 */
export function checkSearchArgs(
  k: unknown,
  size: number,
  opts: unknown,
  options: CheckSearchArgsOptions = {},
): ((entry: IndexEntry) => boolean) | undefined {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) {
    throw new EmbError(
      'INVALID_ARGUMENT',
      `search: k must be a positive integer (the number of neighbours per query), got ${quote(k)}.`,
      { k },
    );
  }
  if (k > size) {
    throw new EmbError(
      'K_TOO_LARGE',
      `search: k = ${k} but the index holds ${size} vector${size === 1 ? '' : 's'}; ask for at most ${size} neighbours or add more vectors.`,
      { k, size },
    );
  }
  if (opts !== undefined && (opts === null || typeof opts !== 'object')) {
    throw new EmbError(
      'INVALID_ARGUMENT',
      `search: options must be ${options.optionNames ?? '{ filter? }'}, got ${quote(opts)}.`,
    );
  }
  const filter = (opts as { filter?: unknown } | undefined)?.filter;
  if (filter !== undefined && typeof filter !== 'function') {
    throw new EmbError('INVALID_ARGUMENT', `search: filter must be a function (entry) => boolean, got ${quote(filter)}.`);
  }
  return filter as ((entry: IndexEntry) => boolean) | undefined;
}
