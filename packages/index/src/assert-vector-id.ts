import { EmbError, quote, type VectorId } from '@emb/core';

/**
 * Throws `EmbError('INVALID_ARGUMENT')` unless `id` is a valid vector id: a string or a
 * finite number (the `Index` contract's `VectorId`). `where` names the value in the message
 * (`'ids[3]'`, `'get: id'`). Part of the toolkit for index-backend authors.
 *
 * @example
 * assertVectorId(id, 'get: id'); // "get: id is NaN; ids are strings or finite numbers."
 */
export function assertVectorId(id: unknown, where: string): asserts id is VectorId {
  if (!(typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)))) {
    throw new EmbError('INVALID_ARGUMENT', `${where} is ${quote(id)}; ids are strings or finite numbers.`, { id });
  }
}
