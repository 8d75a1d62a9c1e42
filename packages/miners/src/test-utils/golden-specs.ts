import type { Distance, IndicesTuple, Miner, Reducer } from '@emb/core';
import { cosineSimilarity, dotProductSimilarity, lpDistance, snrDistance } from '@emb/distance';
import {
  batchEasyHardMiner,
  batchHardMiner,
  distanceWeightedMiner,
  multiSimilarityMiner,
  pairMarginMiner,
  tripletMarginMiner,
} from '../index.js';

/** A PML object spec from the golden files: `{ class, params }` with snake_case kwargs. */
export interface Spec {
  readonly class: string;
  readonly params: Record<string, unknown>;
}

/** PML's snake_case kwargs as emb's camelCase options (`type_of_triplets` -> `typeOfTriplets`). */
export function camelParams(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(params)
      .filter(([, x]) => x !== undefined)
      .map(([k, x]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), x]),
  );
}

/** The emb distance for a PML distance spec (null = the component's default). */
export function distanceFromSpec(spec: Spec | null): Distance | undefined {
  if (spec === null) return undefined;
  const o = camelParams(spec.params);
  switch (spec.class) {
    case 'LpDistance':
      return lpDistance(o);
    case 'CosineSimilarity':
      return cosineSimilarity(o);
    case 'DotProductSimilarity':
      return dotProductSimilarity(o);
    case 'SNRDistance':
      return snrDistance(o);
    default:
      throw new Error(`unknown distance class ${spec.class}`);
  }
}

const miners: Record<string, (o: never) => Miner> = {
  BatchHardMiner: batchHardMiner,
  BatchEasyHardMiner: batchEasyHardMiner,
  TripletMarginMiner: tripletMarginMiner,
  MultiSimilarityMiner: multiSimilarityMiner,
  PairMarginMiner: pairMarginMiner,
  DistanceWeightedMiner: distanceWeightedMiner,
};

/** The emb miner for a PML miner spec. */
export function minerFromSpec(spec: Spec, distanceSpec: Spec | null): Miner {
  const make = miners[spec.class];
  if (!make) throw new Error(`unknown miner class ${spec.class}`);
  const distance = distanceFromSpec(distanceSpec);
  return make({ ...camelParams(spec.params), ...(distance ? { distance } : {}) } as never);
}

/** Reducer factories by PML class name, for a caller that has them (the losses package). */
export type ReducerFactories = Record<string, (o: never) => Reducer>;

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
