import { EmbError, type Miner, type NegativeWeights, parseOptions, quote, randomTripletIndices } from '@emb/core';
import { lpDistance } from '@emb/distance';
import * as v from 'valibot';
import { defineMiner, type MiningContext } from './define-miner.js';
import { distanceOption, positiveInteger, randomOptions } from './internal/option-schemas.js';
import { resolveRng } from './internal/resolve-rng.js';

/** Options schema of {@link distanceWeightedMiner} (PML `DistanceWeightedMiner`). */
export const distanceWeightedMinerOptions = v.strictObject({
  cutoff: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0)), 0.5),
  nonzeroLossCutoff: v.optional(v.pipe(v.number(), v.finite(), v.gtValue(0)), 1.4),
  tripletsPerAnchor: v.optional(v.nullable(positiveInteger), null),
  ...randomOptions,
  distance: distanceOption,
});

export type DistanceWeightedMinerOptions = v.InferInput<typeof distanceWeightedMinerOptions>;

/**
 * The log of the sampling weight of a negative at distance `d` in dimension `dim`: the
 * inverse of the density of pairwise distances between points uniform on the unit sphere,
 * `q(d) ~ d^(dim-2) (1 - d^2/4)^((dim-3)/2)` (Wu et al. 2017, section 4), with `d` clamped
 * below at `cutoff`. `-Infinity` (weight 0) at and beyond `nonzeroLossCutoff` and where the
 * density is undefined (d >= 2).
 *
 * @example
 * distanceWeightedLogWeight(1.0, 128, 0.5, 1.4); // log(1 / q(1.0))
 */
export function distanceWeightedLogWeight(d: number, dim: number, cutoff: number, nonzeroLossCutoff: number): number {
  const c = Math.max(d, cutoff);
  if (!(c < nonzeroLossCutoff)) return Number.NEGATIVE_INFINITY;
  const logWeight = (2 - dim) * Math.log(c) - ((dim - 3) / 2) * Math.log(1 - 0.25 * c * c);
  return Number.isFinite(logWeight) ? logWeight : Number.NEGATIVE_INFINITY;
}

function negativeWeights(ctx: MiningContext, cutoff: number, nonzeroLossCutoff: number): NegativeWeights {
  const { matrix, cols, dim } = ctx;
  return (a: number, negatives: Int32Array, count: number, out: Float64Array) => {
    const offset = a * cols;
    // Subtract the row's largest log-weight: the weights of one anchor keep their ratios
    // exactly and never underflow together (PML subtracts one max over the whole batch).
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < count; k++) {
      const lw = distanceWeightedLogWeight(matrix[offset + (negatives[k] as number)] as number, dim, cutoff, nonzeroLossCutoff);
      out[k] = lw;
      if (lw > max) max = lw;
    }
    for (let k = 0; k < count; k++) {
      out[k] = max === Number.NEGATIVE_INFINITY ? 0 : Math.exp((out[k] as number) - max);
    }
  };
}

/**
 * Distance-weighted sampling (PML `DistanceWeightedMiner`, Wu et al. 2017, "Sampling matters
 * in deep embedding learning"): random triplets whose negative is drawn with probability
 * proportional to `1 / q(d)`, the inverse density of distances between random points on the
 * unit sphere, so that negatives are spread over all distances instead of concentrating
 * near sqrt(2). Distances below `cutoff` are clamped (less variance); negatives at or beyond
 * `nonzeroLossCutoff` get weight 0 (they would give zero loss with a margin-based loss).
 * Positives are uniform. Needs normalised L2 distances, as in PML.
 *
 * Options (PML 2.8.1 defaults): `cutoff = 0.5`, `nonzeroLossCutoff = 1.4`,
 * `tripletsPerAnchor = null` (as many as the anchor's class has rows, as PML), `seed = 0`,
 * `rng` (overrides `seed`), `distance = lpDistance()` (p = 2, power = 1, normalised; nothing else
 * is accepted).
 *
 * @example
 * const miner = distanceWeightedMiner({ cutoff: 0.5, nonzeroLossCutoff: 1.4, seed: 1 });
 * const triplets = miner.mine({ embeddings, labels });
 * const loss = marginLoss().compute({ embeddings, labels, indices: triplets });
 */
export function distanceWeightedMiner(options: DistanceWeightedMinerOptions = {}): Miner {
  const o = parseOptions(distanceWeightedMinerOptions, options, "miner 'distance-weighted'");
  const distance = o.distance ?? lpDistance();
  const p = distance.options.p ?? 2;
  if (distance.name !== 'lp' || p !== 2 || distance.power !== 1 || !distance.normalizeEmbeddings) {
    throw new EmbError(
      'INVALID_OPTION',
      `miner 'distance-weighted' needs lpDistance({ p: 2, power: 1, normalizeEmbeddings: true }) (its weights assume points on the unit sphere), got ${quote(distance.name)} with ${quote(distance.options)}.`,
      { option: 'distance' },
    );
  }
  const rng = resolveRng(o);
  return defineMiner({
    name: 'distance-weighted',
    outputKind: 'triplets',
    options: { ...o, distance },
    distance,
    select: (ctx) =>
      randomTripletIndices(ctx.labels, rng, {
        refLabels: ctx.isSelf ? null : ctx.refLabels,
        tripletsPerAnchor: o.tripletsPerAnchor,
        negativeWeights: negativeWeights(ctx, o.cutoff, o.nonzeroLossCutoff),
      }),
  });
}
