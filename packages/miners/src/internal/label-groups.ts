/** Row indices grouped by label value. */
export interface LabelGroups {
  /** Distinct label values, ascending (the order `torch.unique` returns). */
  readonly values: Int32Array;
  /** The ascending indices holding `label`, or an empty array. */
  indicesOf(label: number): Int32Array;
}

const EMPTY = new Int32Array(0);

/** Groups `labels` by value in one pass; each group's indices are ascending. */
export function labelGroups(labels: Int32Array): LabelGroups {
  const counts = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i] as number;
    counts.set(l, (counts.get(l) ?? 0) + 1);
  }
  const groups = new Map<number, Int32Array>();
  const fill = new Map<number, number>();
  for (const [l, c] of counts) {
    groups.set(l, new Int32Array(c));
    fill.set(l, 0);
  }
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i] as number;
    const k = fill.get(l) as number;
    (groups.get(l) as Int32Array)[k] = i;
    fill.set(l, k + 1);
  }
  const values = Int32Array.from(counts.keys()).sort();
  return { values, indicesOf: (label) => groups.get(label) ?? EMPTY };
}
