import { type Miner, type PairIndices, parseOptions } from '@emb/core';
import { lpDistance } from '@emb/distance';
import * as v from 'valibot';
import { defineMiner, type MiningContext } from './define-miner.js';
import { allPairs } from './internal/all-pairs.js';
import { distanceOption, finiteNumber } from './internal/option-schemas.js';
import { type Relation, rowExtreme } from './internal/row-extreme.js';

const strategy = v.picklist(['easy', 'semihard', 'hard', 'all']);
const range = v.optional(v.nullable(v.tuple([finiteNumber, finiteNumber])), null);

/** Options schema of {@link batchEasyHardMiner} (PML `BatchEasyHardMiner`). */
export const batchEasyHardMinerOptions = v.pipe(
  v.strictObject({
    posStrategy: v.optional(strategy, 'easy'),
    negStrategy: v.optional(strategy, 'semihard'),
    allowedPosRange: range,
    allowedNegRange: range,
    distance: distanceOption,
  }),
  v.check(
    (o) => !(o.posStrategy === 'semihard' && o.negStrategy === 'semihard'),
    'posStrategy and negStrategy cannot both be "semihard"',
  ),
  v.check(
    (o) =>
      !((o.posStrategy === 'semihard' && o.negStrategy === 'all') || (o.negStrategy === 'semihard' && o.posStrategy === 'all')),
    '"semihard" cannot be combined with "all"',
  ),
);

export type BatchEasyHardMinerOptions = v.InferInput<typeof batchEasyHardMinerOptions>;
type Strategy = v.InferOutput<typeof strategy>;
type Range = readonly [number, number] | null;

interface Picked {
  readonly index: Int32Array;
  readonly value: Float64Array;
}

function pick(ctx: MiningContext, relation: Relation, s: Strategy, allowed: Range, thresholds: Picked | undefined): Picked {
  const { matrix, rows, cols, labels, refLabels, isSelf, isInverted } = ctx;
  // Positives: hard/semihard = farthest, easy = closest. Negatives: hard/semihard = closest,
  // easy = farthest. "Farthest" is the largest distance or the smallest similarity.
  const farthest = relation === 'positive' ? s !== 'easy' : s === 'easy';
  const largest = farthest !== isInverted;
  const index = new Int32Array(rows).fill(-1);
  const value = new Float64Array(rows);
  for (let a = 0; a < rows; a++) {
    let threshold: number | undefined;
    if (thresholds) {
      // No counterpart on the other side: the anchor is dropped anyway.
      if ((thresholds.index[a] as number) < 0) continue;
      threshold = thresholds.value[a] as number;
    }
    const j = rowExtreme(matrix, a, cols, labels, refLabels, isSelf, {
      relation,
      largest,
      range: allowed,
      ...(threshold === undefined ? {} : { threshold }),
    });
    index[a] = j;
    if (j >= 0) value[a] = matrix[a * cols + j] as number;
  }
  return { index, value };
}

function keep(picked: Picked): { anchors: Int32Array; others: Int32Array } {
  const anchors: number[] = [];
  const others: number[] = [];
  picked.index.forEach((j, a) => {
    if (j >= 0) {
      anchors.push(a);
      others.push(j);
    }
  });
  return { anchors: Int32Array.from(anchors), others: Int32Array.from(others) };
}

function selectEasyHard(
  ctx: MiningContext,
  posStrategy: Strategy,
  negStrategy: Strategy,
  posRange: Range,
  negRange: Range,
): PairIndices {
  let pos: Picked | undefined;
  let neg: Picked | undefined;
  if (posStrategy === 'semihard' && negStrategy !== 'all') {
    neg = pick(ctx, 'negative', negStrategy, negRange, undefined);
    pos = pick(ctx, 'positive', posStrategy, posRange, neg);
  } else if (negStrategy === 'semihard' && posStrategy !== 'all') {
    pos = pick(ctx, 'positive', posStrategy, posRange, undefined);
    neg = pick(ctx, 'negative', negStrategy, negRange, pos);
  } else {
    if (posStrategy !== 'all') pos = pick(ctx, 'positive', posStrategy, posRange, undefined);
    if (negStrategy !== 'all') neg = pick(ctx, 'negative', negStrategy, negRange, undefined);
  }
  if (pos && neg) {
    // One positive and one negative per kept anchor: [a, p, a, n].
    const anchors: number[] = [];
    const ps: number[] = [];
    const ns: number[] = [];
    for (let a = 0; a < ctx.rows; a++) {
      const p = pos.index[a] as number;
      const n = neg.index[a] as number;
      if (p >= 0 && n >= 0) {
        anchors.push(a);
        ps.push(p);
        ns.push(n);
      }
    }
    const a = Int32Array.from(anchors);
    return {
      kind: 'pairs',
      posAnchors: a,
      positives: Int32Array.from(ps),
      negAnchors: a.slice(),
      negatives: Int32Array.from(ns),
    };
  }
  const all = allPairs(ctx.rows, ctx.cols, ctx.labels, ctx.refLabels, ctx.isSelf);
  const p = pos ? keep(pos) : { anchors: all.posAnchors, others: all.positives };
  const n = neg ? keep(neg) : { anchors: all.negAnchors, others: all.negatives };
  return { kind: 'pairs', posAnchors: p.anchors, positives: p.others, negAnchors: n.anchors, negatives: n.others };
}

/**
 * Per anchor, one positive and one negative chosen by strategy (PML `BatchEasyHardMiner`,
 * Xuan et al. 2020, "Improved embeddings with easy positive triplet mining"): `'easy'` is the
 * closest positive / the farthest negative, `'hard'` the farthest positive / the closest
 * negative, `'semihard'` the hardest one that is still easier than the other side's pick
 * (a negative strictly farther than the chosen positive, or a positive strictly closer than the
 * chosen negative), and `'all'` keeps every pair of that side. `allowedPosRange` /
 * `allowedNegRange` (`[min, max]`, inclusive, in the distance's units) restrict the candidates.
 * Anchors without a candidate on a side are dropped. Returns pairs `[a, p, a, n]`.
 *
 * Options (PML 2.8.1 defaults): `posStrategy = 'easy'`, `negStrategy = 'semihard'`,
 * `allowedPosRange = null`, `allowedNegRange = null`, `distance = lpDistance()`. Both
 * strategies `'semihard'`, or `'semihard'` with `'all'`, are rejected as in PML.
 *
 * @example
 * const miner = batchEasyHardMiner({ posStrategy: 'easy', negStrategy: 'semihard' });
 * const pairs = miner.mine({ embeddings, labels }); // { kind: 'pairs', posAnchors, positives, negAnchors, negatives }
 */
export function batchEasyHardMiner(options: BatchEasyHardMinerOptions = {}): Miner {
  const o = parseOptions(batchEasyHardMinerOptions, options, "miner 'batch-easy-hard'");
  const distance = o.distance ?? lpDistance();
  return defineMiner({
    name: 'batch-easy-hard',
    outputKind: 'pairs',
    options: { ...o, distance },
    distance,
    select: (ctx) => selectEasyHard(ctx, o.posStrategy, o.negStrategy, o.allowedPosRange, o.allowedNegRange),
  });
}
