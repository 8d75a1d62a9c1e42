/**
 * A row-major [rows, cols] weight grid from a list of pairs `(anchors[i], others[i])`:
 * how often each pair occurs (`binary: false`, list semantics: duplicates count), or
 * whether it occurs at all (`binary: true`, PML's mask-based losses). The list-to-grid
 * step of {@link pairMasks}, which gives the grids of a whole loss call.
 *
 * @example
 * const negCounts = pairWeights(b, r, pairs.negAnchors, pairs.negatives, false);
 */
export function pairWeights(rows: number, cols: number, anchors: Int32Array, others: Int32Array, binary: boolean): Float32Array {
  const w = new Float32Array(rows * cols);
  for (let i = 0; i < anchors.length; i++) {
    const k = (anchors[i] as number) * cols + (others[i] as number);
    w[k] = binary ? 1 : (w[k] as number) + 1;
  }
  return w;
}
