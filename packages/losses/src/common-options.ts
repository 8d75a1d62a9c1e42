import type { Distance, Reducer } from '@emb/core';
import * as v from 'valibot';

function isDistance(x: unknown): x is Distance {
  return (
    x !== null &&
    typeof x === 'object' &&
    typeof (x as Distance).pairwise === 'function' &&
    typeof (x as Distance).isInverted === 'boolean'
  );
}

function isReducer(x: unknown): x is Reducer {
  return x !== null && typeof x === 'object' && typeof (x as Reducer).reduce === 'function';
}

/** The `distance` option every loss takes: a {@link Distance} object (default: the loss's PML default). */
export const distanceOption = v.optional(
  v.custom<Distance>(isDistance, 'must be a Distance, e.g. cosineSimilarity() from @emb/distance'),
);

/** The `reducer` option every loss takes: a {@link Reducer} object (default: the loss's PML default). */
export const reducerOption = v.optional(v.custom<Reducer>(isReducer, 'must be a Reducer, e.g. meanReducer()'));

/** A finite number option. */
export const finiteNumber = v.pipe(v.number(), v.finite());

/** A positive integer option (`numClasses`, `embeddingSize`). */
export const positiveInteger = v.pipe(v.number(), v.integer(), v.minValue(1));

/**
 * The `seed` option of losses that draw random numbers (default 0): the initial values of
 * learnable weights, or the triplets drawn when `tripletsPerAnchor` is a number.
 */
export const seedOption = v.optional(v.union([v.pipe(v.number(), v.integer()), v.string()]), 0);

const TRIPLETS_PER_ANCHOR = "must be 'all' or a positive integer (that many random triplets per anchor)";

/**
 * The `tripletsPerAnchor` option of triplet losses (PML `triplets_per_anchor`, default
 * `'all'`): without an indices tuple, use every triplet the labels allow, or draw this many
 * random triplets per anchor (PML `get_random_triplet_indices`).
 */
export const tripletsPerAnchorOption = v.optional(
  v.union(
    [v.literal('all'), v.pipe(v.number(TRIPLETS_PER_ANCHOR), v.integer(TRIPLETS_PER_ANCHOR), v.minValue(1, TRIPLETS_PER_ANCHOR))],
    TRIPLETS_PER_ANCHOR,
  ),
  'all',
);
