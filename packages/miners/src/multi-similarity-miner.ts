import { type Miner, type PairIndices, parseOptions } from '@emb/core';
import { cosineSimilarity } from '@emb/distance';
import * as v from 'valibot';
import { defineMiner, type MiningContext } from './define-miner.js';
import { GrowableInt32 } from './internal/growable-int32.js';
import { distanceOption, finiteNumber } from './internal/option-schemas.js';
import { sortByValue } from './internal/sort-by-value.js';

/** Options schema of {@link multiSimilarityMiner} (PML `MultiSimilarityMiner`). */
export const multiSimilarityMinerOptions = v.strictObject({
  epsilon: v.optional(finiteNumber, 0.1),
  distance: distanceOption,
});

export type MultiSimilarityMinerOptions = v.InferInput<typeof multiSimilarityMinerOptions>;

function selectMultiSimilarity(ctx: MiningContext, epsilon: number): PairIndices {
  const { matrix, rows, cols, labels, refLabels, isSelf, isInverted } = ctx;
  const posAnchors = new GrowableInt32();
  const positives = new GrowableInt32();
  const negAnchors = new GrowableInt32();
  const negatives = new GrowableInt32();
  const empty = (): PairIndices => ({
    kind: 'pairs',
    posAnchors: new Int32Array(0),
    positives: new Int32Array(0),
    negAnchors: new Int32Array(0),
    negatives: new Int32Array(0),
  });
  const posIdx = new Int32Array(cols);
  const negIdx = new Int32Array(cols);
  const keys = new Float64Array(cols);
  const sorted = new Float64Array(cols);
  let anyPos = false;
  let anyNeg = false;
  for (let a = 0; a < rows && !(anyPos && anyNeg); a++) {
    const label = labels[a] as number;
    for (let j = 0; j < cols; j++) {
      if (refLabels[j] !== label) anyNeg = true;
      else if (!(isSelf && j === a)) anyPos = true;
    }
  }
  // PML returns nothing at all when the batch has no positive pair or no negative pair.
  if (!anyPos || !anyNeg) return empty();

  for (let a = 0; a < rows; a++) {
    const label = labels[a] as number;
    const offset = a * cols;
    // The closest positive / negative and the farthest ones, in raw values.
    let posMin = Number.POSITIVE_INFINITY;
    let posMax = Number.NEGATIVE_INFINITY;
    let negMin = Number.POSITIVE_INFINITY;
    let negMax = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < cols; j++) {
      const value = matrix[offset + j] as number;
      if (refLabels[j] === label) {
        if (isSelf && j === a) continue;
        if (value < posMin) posMin = value;
        if (value > posMax) posMax = value;
      } else {
        if (value < negMin) negMin = value;
        if (value > negMax) negMax = value;
      }
    }
    // Similarities: a positive is hard when s_ap - eps < the most similar negative, a
    // negative when s_an + eps > the least similar positive. Distances mirror this.
    let numPos = 0;
    let numNeg = 0;
    for (let j = 0; j < cols; j++) {
      const value = matrix[offset + j] as number;
      if (refLabels[j] === label) {
        if (isSelf && j === a) continue;
        if (isInverted ? value - epsilon < negMax : value + epsilon > negMin) posIdx[numPos++] = j;
      } else if (isInverted ? value + epsilon > posMin : value - epsilon < posMax) {
        negIdx[numNeg++] = j;
      }
    }
    // PML emits each row's pairs in ascending order of the matrix value (torch.sort). The
    // positive pairs keep that order (NPairsLoss uses the first positive pair per label);
    // negative pairs, whose order no loss depends on, stay in index order, which saves
    // sorting nearly B x R values.
    if (numPos > 1) sortByValue(posIdx, numPos, matrix, offset, keys, sorted);
    posAnchors.pushRepeated(a, numPos);
    positives.pushAll(posIdx, numPos);
    negAnchors.pushRepeated(a, numNeg);
    negatives.pushAll(negIdx, numNeg);
  }
  return {
    kind: 'pairs',
    posAnchors: posAnchors.toArray(),
    positives: positives.toArray(),
    negAnchors: negAnchors.toArray(),
    negatives: negatives.toArray(),
  };
}

/**
 * The informative pairs of Multi-Similarity mining (PML `MultiSimilarityMiner`, Wang et al.
 * 2019): a negative pair is kept when it is more similar than the anchor's least similar
 * positive minus `epsilon`, a positive pair when it is less similar than the anchor's most
 * similar negative plus `epsilon`. Pairs it returns feed `multiSimilarityLoss` or any pair loss.
 * Positive pairs come in PML's order (by anchor, then ascending similarity); negative pairs
 * by anchor, then index (no loss depends on their order).
 *
 * Options (PML 2.8.1 defaults): `epsilon = 0.1`, `distance = cosineSimilarity()`.
 *
 * @example
 * const pairs = multiSimilarityMiner({ epsilon: 0.1 }).mine({ embeddings, labels });
 * const loss = multiSimilarityLoss().compute({ embeddings, labels, indices: pairs });
 */
export function multiSimilarityMiner(options: MultiSimilarityMinerOptions = {}): Miner {
  const o = parseOptions(multiSimilarityMinerOptions, options, "miner 'multi-similarity'");
  const distance = o.distance ?? cosineSimilarity();
  return defineMiner({
    name: 'multi-similarity',
    outputKind: 'pairs',
    options: { ...o, distance },
    distance,
    select: (ctx) => selectMultiSimilarity(ctx, o.epsilon),
  });
}
