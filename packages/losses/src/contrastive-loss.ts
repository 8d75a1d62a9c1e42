import { type Distance, type Loss, type LossTerm, parseOptions } from '@emb/core';
import { lpDistance } from '@emb/distance';
import * as tf from '@tensorflow/tfjs-core';
import * as v from 'valibot';
import { distanceOption, reducerOption } from './common-options.js';
import { defineLoss } from './define-loss.js';
import { avgNonZeroReducer } from './reducers/avg-non-zero-reducer.js';
import { gatherFlat } from './tuples/gather-flat.js';
import { genericPairs } from './tuples/generic-pairs.js';

/** Options schema of {@link contrastiveLoss} (PML `ContrastiveLoss`). */
export const contrastiveLossOptions = v.strictObject({
  posMargin: v.optional(v.pipe(v.number(), v.finite()), 0),
  negMargin: v.optional(v.pipe(v.number(), v.finite()), 1),
  distance: distanceOption,
  reducer: reducerOption,
});

export type ContrastiveLossOptions = v.InferInput<typeof contrastiveLossOptions>;

const zero = (): LossTerm => ({ kind: 'already_reduced', losses: tf.scalar(0), indices: null });

/**
 * Contrastive loss (Hadsell, Chopra and LeCun 2006; PML `ContrastiveLoss`): positive pairs
 * are pulled closer than `posMargin`, negative pairs pushed beyond `negMargin`.
 * Per positive pair `max(0, d - posMargin)`, per negative pair `max(0, negMargin - d)`
 * (the other way round for similarities). The two parts are separate sub-losses
 * (`pos_loss`, `neg_loss`), each reduced on its own and then added, so with the default
 * reducer the loss is `mean_nonzero(pos) + mean_nonzero(neg)`. A pair listed twice counts twice.
 *
 * Options (PML defaults): `posMargin = 0`, `negMargin = 1`,
 * `distance = lpDistance()` (L2, normalised), `reducer = avgNonZeroReducer()`.
 *
 * @example
 * const loss = contrastiveLoss({ negMargin: 0.8 });
 * const value = loss.compute({ embeddings, labels }); // tf.Scalar
 */
export function contrastiveLoss(options: ContrastiveLossOptions = {}): Loss {
  const o = parseOptions(contrastiveLossOptions, options, "loss 'contrastive'");
  const distance: Distance = o.distance ?? lpDistance();
  const reducer = o.reducer ?? avgNonZeroReducer();
  return defineLoss({
    name: 'contrastive',
    options: { posMargin: o.posMargin, negMargin: o.negMargin },
    distance,
    reducer,
    terms(ctx) {
      const pairs = genericPairs(ctx);
      if (!pairs) return { pos_loss: zero(), neg_loss: zero() };
      const { posAnchors, positives, negAnchors, negatives } = pairs;
      const mat = ctx.matrix();
      const d = ctx.distance;
      return {
        pos_loss: posAnchors.length
          ? {
              kind: 'pos_pair',
              losses: tf.relu(d.margin(gatherFlat(mat, posAnchors, positives), o.posMargin)) as tf.Tensor1D,
              indices: [posAnchors, positives],
            }
          : zero(),
        neg_loss: negAnchors.length
          ? {
              kind: 'neg_pair',
              losses: tf.relu(d.margin(o.negMargin, gatherFlat(mat, negAnchors, negatives))) as tf.Tensor1D,
              indices: [negAnchors, negatives],
            }
          : zero(),
      };
    },
  });
}
