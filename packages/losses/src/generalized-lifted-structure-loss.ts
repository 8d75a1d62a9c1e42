import { type Distance, type Loss, parseOptions } from '@emb/core';
import { lpDistance } from '@emb/distance';
import * as tf from '@tensorflow/tfjs-core';
import * as v from 'valibot';
import { distanceOption, reducerOption } from './common-options.js';
import { defineLoss } from './define-loss.js';
import { meanReducer } from './reducers/mean-reducer.js';
import { maskedLogSumExp } from './tuples/masked-log-sum-exp.js';
import { pairMasks } from './tuples/pair-masks.js';

/** Options schema of {@link generalizedLiftedStructureLoss} (PML `GeneralizedLiftedStructureLoss`). */
export const generalizedLiftedStructureLossOptions = v.strictObject({
  negMargin: v.optional(v.pipe(v.number(), v.finite()), 1),
  posMargin: v.optional(v.pipe(v.number(), v.finite()), 0),
  distance: distanceOption,
  reducer: reducerOption,
});

export type GeneralizedLiftedStructureLossOptions = v.InferInput<typeof generalizedLiftedStructureLossOptions>;

/**
 * The generalised lifted structure loss of "In Defense of the Triplet Loss" (Hermans et
 * al. 2017, page 4; PML `GeneralizedLiftedStructureLoss`). One term per batch element `i`:
 * `relu(log(sum_p exp(d_ip - posMargin)) + log(sum_n exp(negMargin - d_in)))` over its
 * positives `p` and negatives `n` (for similarities the margins are reversed); an empty
 * side contributes 0. Pairs form a 0/1 mask, so a pair listed twice counts once.
 *
 * Options (PML defaults): `negMargin = 1`, `posMargin = 0`,
 * `distance = lpDistance()` (L2, normalised), `reducer = meanReducer()`.
 *
 * @example
 * const loss = generalizedLiftedStructureLoss();
 * const value = loss.compute({ embeddings, labels });
 */
export function generalizedLiftedStructureLoss(options: GeneralizedLiftedStructureLossOptions = {}): Loss {
  const o = parseOptions(generalizedLiftedStructureLossOptions, options, "loss 'generalized-lifted-structure'");
  const distance: Distance = o.distance ?? lpDistance();
  const reducer = o.reducer ?? meanReducer();
  return defineLoss({
    name: 'generalized-lifted-structure',
    options: { negMargin: o.negMargin, posMargin: o.posMargin },
    distance,
    reducer,
    terms(ctx) {
      const m = pairMasks(ctx);
      if (m.tooFew) return { loss: { kind: 'already_reduced', losses: tf.scalar(0), indices: null } };
      const mat = ctx.matrix();
      const d = ctx.distance;
      const pos = maskedLogSumExp(d.margin(mat, o.posMargin), m.pos);
      const neg = maskedLogSumExp(d.margin(o.negMargin, mat), m.neg);
      const indices = Int32Array.from({ length: m.rows }, (_, i) => i);
      return { loss: { kind: 'element', losses: tf.relu(tf.add(pos, neg)) as tf.Tensor1D, indices: [indices] } };
    },
  });
}
