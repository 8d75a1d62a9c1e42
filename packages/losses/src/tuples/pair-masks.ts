import type { LossContext } from '../define-loss.js';
import { convertToPairs } from './convert-to-pairs.js';
import { type LabelMasks, labelMasks } from './label-masks.js';

/** {@link LabelMasks} of a pair-based loss, with PML's "too few pairs" rule. */
export interface PairMasks extends LabelMasks {
  /**
   * PML's `GenericPairLoss` returns a zero loss when every list of the (pairs-converted)
   * tuple holds at most one index: one positive and one negative pair, or a single
   * triplet, is ignored.
   */
  readonly tooFew: boolean;
  /** Whether any positive / negative pair is present. */
  readonly anyPos: boolean;
  readonly anyNeg: boolean;
}

/**
 * Positive and negative 0/1 masks over the [B, R] matrix for the mask-based pair losses
 * (MultiSimilarity, Circle, SupCon, generalized lifted structure), as PML builds them in
 * `GenericPairLoss.mat_based_loss`: from the explicit tuple when one is given (triplets
 * become pairs `(a, p)` and `(a, n)`; duplicates collapse into one entry), otherwise from
 * the labels (every pair, without `(i, i)` when the reference set is the batch).
 *
 * @example
 * const { pos, neg, tooFew } = pairMasks(ctx); // inside a loss definition's terms(ctx)
 */
export function pairMasks(
  ctx: Pick<LossContext, 'embeddings' | 'ref' | 'indices' | 'labels' | 'refLabels' | 'isSelf'>,
): PairMasks {
  if (ctx.indices === null) {
    const m = labelMasks(ctx.labels as Int32Array, ctx.refLabels as Int32Array, ctx.isSelf);
    const numPos = count(m.pos);
    const numNeg = count(m.neg);
    return { ...m, tooFew: numPos <= 1 && numNeg <= 1, anyPos: numPos > 0, anyNeg: numNeg > 0 };
  }
  const rows = ctx.embeddings.shape[0];
  const cols = ctx.ref.shape[0];
  const t = convertToPairs(ctx.indices);
  const pos = new Uint8Array(rows * cols);
  const neg = new Uint8Array(rows * cols);
  for (let i = 0; i < t.posAnchors.length; i++) pos[(t.posAnchors[i] as number) * cols + (t.positives[i] as number)] = 1;
  for (let i = 0; i < t.negAnchors.length; i++) neg[(t.negAnchors[i] as number) * cols + (t.negatives[i] as number)] = 1;
  return {
    rows,
    cols,
    pos,
    neg,
    tooFew: t.posAnchors.length <= 1 && t.negAnchors.length <= 1,
    anyPos: t.posAnchors.length > 0,
    anyNeg: t.negAnchors.length > 0,
  };
}

function count(mask: Uint8Array): number {
  let n = 0;
  for (let k = 0; k < mask.length; k++) n += mask[k] as number;
  return n;
}
