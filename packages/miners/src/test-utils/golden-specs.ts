import type { Distance, IndicesTuple, Miner } from '@emb/core';
import { cosineSimilarity, dotProductSimilarity, lpDistance } from '@emb/distance';
import { batchEasyHardMiner, batchHardMiner, multiSimilarityMiner, pairMarginMiner, tripletMarginMiner } from '../index.js';

/** A PML object spec from the golden files: `{ class, params }` with snake_case kwargs. */
export interface Spec {
  readonly class: string;
  readonly params: Record<string, unknown>;
}

const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined));

/** The emb distance for a PML distance spec (null = the miner's default). */
export function distanceFromSpec(spec: Spec | null): Distance | undefined {
  if (spec === null) return undefined;
  const p = spec.params;
  switch (spec.class) {
    case 'LpDistance':
      return lpDistance(defined({ p: p.p, power: p.power, normalizeEmbeddings: p.normalize_embeddings }));
    case 'CosineSimilarity':
      return cosineSimilarity(defined({ power: p.power }));
    case 'DotProductSimilarity':
      return dotProductSimilarity(defined({ power: p.power, normalizeEmbeddings: p.normalize_embeddings }));
    default:
      throw new Error(`unknown distance class ${spec.class}`);
  }
}

/** The emb miner for a PML miner spec. */
export function minerFromSpec(spec: Spec, distanceSpec: Spec | null): Miner {
  const p = spec.params;
  const distance = distanceFromSpec(distanceSpec);
  const common = defined({ distance });
  switch (spec.class) {
    case 'BatchHardMiner':
      return batchHardMiner(common);
    case 'TripletMarginMiner':
      return tripletMarginMiner({
        ...common,
        ...defined({ margin: p.margin, typeOfTriplets: p.type_of_triplets as 'all' | 'hard' | 'semihard' | 'easy' | undefined }),
      });
    case 'MultiSimilarityMiner':
      return multiSimilarityMiner({ ...common, ...defined({ epsilon: p.epsilon }) });
    case 'PairMarginMiner':
      return pairMarginMiner({ ...common, ...defined({ posMargin: p.pos_margin, negMargin: p.neg_margin }) });
    case 'BatchEasyHardMiner':
      return batchEasyHardMiner({
        ...common,
        ...defined({
          posStrategy: p.pos_strategy,
          negStrategy: p.neg_strategy,
          allowedPosRange: p.allowed_pos_range,
          allowedNegRange: p.allowed_neg_range,
        }),
      });
    default:
      throw new Error(`unknown miner class ${spec.class}`);
  }
}

/** PML's tuple layout: `[a, p, n]` or `[a1, p, a2, n]`. */
export function toPmlTuple(t: IndicesTuple): number[][] {
  return t.kind === 'triplets'
    ? [Array.from(t.anchors), Array.from(t.positives), Array.from(t.negatives)]
    : [Array.from(t.posAnchors), Array.from(t.positives), Array.from(t.negAnchors), Array.from(t.negatives)];
}

/** Sorts a PML tuple as the golden files do: triplets by (a, p, n), each pair half by (a, other). */
export function sortPmlTuple(tuple: number[][]): number[][] {
  const sortRows = (cols: number[][]): number[][] => {
    const rows = (cols[0] ?? []).map((_, i) => cols.map((c) => c[i] as number));
    rows.sort((x, y) => {
      for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return (x[k] as number) - (y[k] as number);
      return 0;
    });
    return cols.map((_, k) => rows.map((r) => r[k] as number));
  };
  if (tuple.length === 3) return sortRows(tuple);
  return [...sortRows(tuple.slice(0, 2)), ...sortRows(tuple.slice(2, 4))];
}
