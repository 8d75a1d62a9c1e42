import { type Miner, parseOptions } from '@emb/core';
import { lpDistance } from '@emb/distance';
import * as v from 'valibot';
import { defineMiner } from './define-miner.js';
import { allPairs } from './internal/all-pairs.js';
import { distanceOption } from './internal/option-schemas.js';

/** Options schema of {@link allPairsMiner}. */
export const allPairsMinerOptions = v.strictObject({
  distance: distanceOption,
});

export type AllPairsMinerOptions = v.InferInput<typeof allPairsMinerOptions>;

/**
 * Every positive and every negative pair the labels allow, row-major (what a PML pair loss
 * uses when it is given no miner). `distance` only feeds the statistics.
 *
 * Options: `distance = lpDistance()`.
 *
 * @example
 * const pairs = allPairsMiner().mine({ embeddings, labels });
 */
export function allPairsMiner(options: AllPairsMinerOptions = {}): Miner {
  const o = parseOptions(allPairsMinerOptions, options, "miner 'all-pairs'");
  const distance = o.distance ?? lpDistance();
  return defineMiner({
    name: 'all-pairs',
    outputKind: 'pairs',
    options: { ...o, distance },
    distance,
    select: (ctx) => allPairs(ctx.rows, ctx.cols, ctx.labels, ctx.refLabels, ctx.isSelf),
  });
}
