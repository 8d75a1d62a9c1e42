import type { LossContext } from '../define-loss.js';
import { convertToPairs } from './convert-to-pairs.js';
import { labelMasks } from './label-masks.js';
import { pairWeights } from './pair-weights.js';

/**
 * Positive and negative grids over the [B, R] matrix of a loss call, row-major, with PML's
 * "too few pairs" rule. 0/1 masks (`Uint8Array`) by default, or pair counts
 * (`Float32Array`) with `{ counts: true }`.
 */
export interface PairMasks<T extends Uint8Array | Float32Array = Uint8Array> {
  readonly rows: number;
  readonly cols: number;
  /** `pos[i * R + j]`: whether (or how often) `(i, j)` is a positive pair. */
  readonly pos: T;
  /** `neg[i * R + j]`: whether (or how often) `(i, j)` is a negative pair. */
  readonly neg: T;
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

/** Options of {@link pairMasks}. */
export interface PairMasksOptions {
  /**
   * Count how often each pair of an explicit tuple is listed (list semantics: NT-Xent and
   * lifted structure count a repeated pair again) instead of whether it is. Default false.
   */
  readonly counts?: boolean;
}

type MaskContext = Pick<LossContext, 'embeddings' | 'ref' | 'indices' | 'labels' | 'refLabels' | 'isSelf'>;

/**
 * The positive and negative pairs of a loss call as grids over the [B, R] matrix, as PML
 * builds them in `GenericPairLoss.mat_based_loss`: from the explicit tuple when one is given
 * (triplets become pairs `(a, p)` and `(a, n)`), otherwise from the labels (every pair,
 * without `(i, i)` when the reference set is the batch). Duplicates of a tuple collapse into
 * one entry, or add up with `{ counts: true }`. The grids are constants: losses built on
 * them need no gradient through `tf.gather` (there is none on wasm).
 *
 * @example
 * const { pos, neg, tooFew } = pairMasks(ctx); // inside a loss definition's terms(ctx)
 * const negCounts = pairMasks(ctx, { counts: true }).neg;
 */
export function pairMasks(ctx: MaskContext, options?: PairMasksOptions & { readonly counts?: false }): PairMasks;
export function pairMasks(ctx: MaskContext, options: PairMasksOptions & { readonly counts: true }): PairMasks<Float32Array>;
export function pairMasks(ctx: MaskContext, options: PairMasksOptions = {}): PairMasks<Uint8Array | Float32Array> {
  const counts = options.counts ?? false;
  if (ctx.indices === null) {
    const m = labelMasks(ctx.labels as Int32Array, ctx.refLabels as Int32Array, ctx.isSelf);
    const numPos = sum(m.pos);
    const numNeg = sum(m.neg);
    return {
      rows: m.rows,
      cols: m.cols,
      pos: counts ? Float32Array.from(m.pos) : m.pos,
      neg: counts ? Float32Array.from(m.neg) : m.neg,
      tooFew: numPos <= 1 && numNeg <= 1,
      anyPos: numPos > 0,
      anyNeg: numNeg > 0,
    };
  }
  const rows = ctx.embeddings.shape[0];
  const cols = ctx.ref.shape[0];
  const t = convertToPairs(ctx.indices);
  const grid = (anchors: Int32Array, others: Int32Array) => {
    const g = pairWeights(rows, cols, anchors, others, !counts);
    return counts ? g : Uint8Array.from(g);
  };
  return {
    rows,
    cols,
    pos: grid(t.posAnchors, t.positives),
    neg: grid(t.negAnchors, t.negatives),
    tooFew: t.posAnchors.length <= 1 && t.negAnchors.length <= 1,
    anyPos: t.posAnchors.length > 0,
    anyNeg: t.negAnchors.length > 0,
  };
}

function sum(mask: Uint8Array): number {
  let n = 0;
  for (let k = 0; k < mask.length; k++) n += mask[k] as number;
  return n;
}
