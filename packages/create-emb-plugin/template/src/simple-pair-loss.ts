import type { Loss } from '@emb/core';
import { parseOptions } from '@emb/core';
import { lpDistance } from '@emb/distance';
import { defineLoss, meanReducer, pairMasks } from '@emb/losses';
import * as tf from '@tensorflow/tfjs-core';
import * as v from 'valibot';

/**
 * Options schema of {@link simplePairLoss}. A strict object: the registry rejects an
 * unknown option (a typo) with a message that names it, instead of ignoring it.
 */
export const simplePairLossOptions = v.strictObject({
  /** Negative pairs closer than this are pushed apart. */
  margin: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0)), 0.5),
});

export type SimplePairLossOptions = v.InferInput<typeof simplePairLossOptions>;

/** The number of pairs in a 0/1 mask, at least 1 so that a mean never divides by zero. */
function countPairs(mask: Uint8Array): number {
  let n = 0;
  for (const x of mask) n += x;
  return Math.max(1, n);
}

/**
 * The plugin tutorial's example loss, about the simplest one that trains: over the
 * distance matrix of the batch (normalised L2), the mean distance of the positive pairs
 * (same label) plus the mean of `max(0, margin - d)` over the negative pairs (different
 * labels). A miner's tuple, when given, picks the pairs instead of the labels.
 *
 * Options: `margin = 0.5`.
 *
 * @example
 * const loss = simplePairLoss({ margin: 0.5 });
 * const value = loss.compute({ embeddings, labels }); // a tf.Scalar, differentiable
 */
export function simplePairLoss(options: SimplePairLossOptions = {}): Loss {
  // Validate first: the message quotes the bad value and names the option.
  const { margin } = parseOptions(simplePairLossOptions, options, "loss '__PREFIX__/simple-pair'");
  // defineLoss (from @emb/losses) does the rest of the contract once: input validation,
  // labels vs. a miner's tuple, reference embeddings, tf.tidy, reduction.
  return defineLoss({
    name: '__PREFIX__/simple-pair',
    options: { margin },
    distance: lpDistance(),
    // Our terms are already means, so the reducer passes them through unchanged.
    reducer: meanReducer(),
    terms(ctx) {
      // [B, R] distances, computed once per call and shared by every term.
      const d = ctx.matrix();
      // 0/1 masks of the positive and negative pairs, built from plain arrays: masks are
      // constants, so the gradient never has to go through tf.gather (none on wasm).
      const masks = pairMasks(ctx);
      const pos = tf.tensor2d(Float32Array.from(masks.pos), [masks.rows, masks.cols]);
      const neg = tf.tensor2d(Float32Array.from(masks.neg), [masks.rows, masks.cols]);
      // With no pairs at all both sums are `sum(d * 0)`: a zero that stays connected to the
      // graph, never NaN (the count is at least 1).
      const posLoss = tf.div(tf.sum(tf.mul(d, pos)), countPairs(masks.pos));
      const negLoss = tf.div(tf.sum(tf.mul(tf.relu(tf.sub(margin, d)), neg)), countPairs(masks.neg));
      // Two named sub-losses (PML's loss dict): the reducer handles each, defineLoss adds them.
      return {
        pos_loss: { kind: 'already_reduced', losses: posLoss as tf.Scalar, indices: null },
        neg_loss: { kind: 'already_reduced', losses: negLoss as tf.Scalar, indices: null },
      };
    },
  });
}
