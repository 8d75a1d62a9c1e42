import type { Distance, Rng } from '@emb/core';
import * as v from 'valibot';

/** Duck-typed check for a {@link Distance} (works across duplicate installs of @emb/distance). */
export function isDistance(x: unknown): x is Distance {
  const d = x as Distance | null;
  return d !== null && typeof d === 'object' && typeof d.pairwise === 'function' && typeof d.isInverted === 'boolean';
}

/** Duck-typed check for an {@link Rng}. */
export function isRng(x: unknown): x is Rng {
  const r = x as Rng | null;
  return r !== null && typeof r === 'object' && typeof r.next === 'function' && typeof r.int === 'function';
}

/** `distance`: a Distance object such as `lpDistance()` or `cosineSimilarity()`. */
export const distanceOption = v.optional(
  v.custom<Distance>(isDistance, 'Expected a Distance such as lpDistance() or cosineSimilarity() from @emb/distance'),
);

/** `seed` (any integer or string; default 0) and `rng` (a generator to draw from instead). */
export const randomOptions = {
  seed: v.optional(v.union([v.pipe(v.number(), v.integer()), v.string()]), 0),
  rng: v.optional(v.custom<Rng>(isRng, 'Expected an Rng from createRng()')),
} as const;

/** A positive integer. */
export const positiveInteger = v.pipe(v.number(), v.integer(), v.minValue(1));

/** A finite number. */
export const finiteNumber = v.pipe(v.number(), v.finite());
