/**
 * Positive and negative masks over the [B, R] grid, row-major: `pos[i * R + j]` is 1 when
 * `labels[i] === refLabels[j]` (and `i !== j` when the reference set is the batch itself),
 * `neg[i * R + j]` is 1 when the labels differ.
 */
export interface LabelMasks {
  readonly rows: number;
  readonly cols: number;
  readonly pos: Uint8Array;
  readonly neg: Uint8Array;
}

export function labelMasks(labels: Int32Array, refLabels: Int32Array, isSelf: boolean): LabelMasks {
  const rows = labels.length;
  const cols = refLabels.length;
  const pos = new Uint8Array(rows * cols);
  const neg = new Uint8Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const li = labels[i];
    const base = i * cols;
    for (let j = 0; j < cols; j++) {
      if (li === refLabels[j]) pos[base + j] = isSelf && i === j ? 0 : 1;
      else neg[base + j] = 1;
    }
  }
  return { rows, cols, pos, neg };
}
