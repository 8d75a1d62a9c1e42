import { type Miner, parseOptions } from '@emb/core';
import { lpDistance } from '@emb/distance';
import * as v from 'valibot';
import { defineMiner } from './define-miner.js';
import { distanceOption } from './internal/option-schemas.js';
import { selectTriplets } from './triplet-margin-miner.js';

/** Options schema of {@link allTripletsMiner}. */
export const allTripletsMinerOptions = v.strictObject({
  distance: distanceOption,
});

export type AllTripletsMinerOptions = v.InferInput<typeof allTripletsMinerOptions>;

/**
 * Every triplet `(a, p, n)` the labels allow, in PML's order (by anchor, positive,
 * negative). The output has B x P x N entries, so prefer a selective miner for large batches;
 * `distance` only feeds the statistics.
 *
 * Options: `distance = lpDistance()`.
 *
 * @example
 * const triplets = allTripletsMiner().mine({ embeddings, labels });
 */
export function allTripletsMiner(options: AllTripletsMinerOptions = {}): Miner {
  const o = parseOptions(allTripletsMinerOptions, options, "miner 'all-triplets'");
  const distance = o.distance ?? lpDistance();
  return defineMiner({
    name: 'all-triplets',
    outputKind: 'triplets',
    options: { ...o, distance },
    distance,
    // Bounds (-inf, +inf] keep every triplet; the scan emits them in PML's order.
    select: (ctx) => selectTriplets(ctx, 'easy', Number.NEGATIVE_INFINITY, 'none'),
  });
}
