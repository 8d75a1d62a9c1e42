import type { PairIndices } from '@emb/core';
import type { LossContext } from '../define-loss.js';
import { allPairs } from './all-pairs.js';
import { convertToPairs } from './convert-to-pairs.js';

/**
 * The pairs a pair-based loss works on (PML `GenericPairLoss`): the explicit tuple
 * converted to pairs, or every pair the labels allow. `null` when PML would return its
 * zero loss because no side has more than one pair (one positive and one negative pair,
 * or a single triplet, are ignored; two positives and one negative are not).
 *
 * @example
 * const pairs = genericPairs(ctx);
 * if (!pairs) return { loss: { kind: 'already_reduced', losses: tf.scalar(0), indices: null } };
 */
export function genericPairs(ctx: LossContext): PairIndices | null {
  const pairs = ctx.indices
    ? convertToPairs(ctx.indices)
    : allPairs(ctx.labels as Int32Array, ctx.refLabels as Int32Array, ctx.isSelf);
  if (pairs.posAnchors.length <= 1 && pairs.negAnchors.length <= 1) return null;
  return pairs;
}
