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

/** The `seed` option of losses with learnable weights: how their initial values are drawn (default 0). */
export const seedOption = v.optional(v.union([v.pipe(v.number(), v.integer()), v.string()]), 0);
