/** Which labels a row's candidates must have relative to the anchor. */
export type Relation = 'positive' | 'negative';

export interface RowExtremeQuery {
  readonly relation: Relation;
  /** `true`: the largest raw value; `false`: the smallest. Ties go to the smallest index. */
  readonly largest: boolean;
  /** Keep only values in [lo, hi] (PML's `allowed_pos_range` / `allowed_neg_range`). */
  readonly range?: readonly [number, number] | null;
  /**
   * PML's semi-hard threshold: with `largest` keep values `< threshold`, otherwise values
   * `> threshold` (strict).
   */
  readonly threshold?: number;
}

/**
 * The column of row `a` with the extreme value among its positives or negatives, or -1 when
 * no column qualifies (PML's `get_x_per_row`: masked-out columns are set to +-inf, so they
 * never win, and `torch.min` / `torch.max` return the first of equal values).
 */
export function rowExtreme(
  matrix: Float32Array,
  a: number,
  cols: number,
  labels: Int32Array,
  refLabels: Int32Array,
  isSelf: boolean,
  query: RowExtremeQuery,
): number {
  const label = labels[a] as number;
  const offset = a * cols;
  const wantPositive = query.relation === 'positive';
  const lo = query.range ? query.range[0] : Number.NEGATIVE_INFINITY;
  const hi = query.range ? query.range[1] : Number.POSITIVE_INFINITY;
  const threshold = query.threshold;
  let best = -1;
  let bestValue = 0;
  for (let j = 0; j < cols; j++) {
    if ((refLabels[j] === label) !== wantPositive) continue;
    if (wantPositive && isSelf && j === a) continue;
    const value = matrix[offset + j] as number;
    if (value < lo || value > hi) continue;
    if (threshold !== undefined && (query.largest ? !(value < threshold) : !(value > threshold))) continue;
    if (best < 0 || (query.largest ? value > bestValue : value < bestValue)) {
      best = j;
      bestValue = value;
    }
  }
  return best;
}
