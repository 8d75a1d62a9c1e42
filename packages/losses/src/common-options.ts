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
