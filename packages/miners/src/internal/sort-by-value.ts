const INDEX_BITS = 2 ** 21;
const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);

/** Maps a float32 to an unsigned integer with the same order (-0 is treated as +0). */
function orderable(value: number): number {
  scratchF32[0] = value === 0 ? 0 : value;
  const bits = scratchU32[0] as number;
  return bits >= 0x80000000 ? ~bits >>> 0 : (bits | 0x80000000) >>> 0;
}

/**
 * Sorts `indices[0..count)` by `row[offset + index]` ascending, ties by index ascending, and
 * writes the sorted values (as doubles) into `sortedValues`. Packs (value, index) into one
 * float64 key so that the native numeric sort does the work without a JS comparator.
 */
export function sortByValue(
  indices: Int32Array,
  count: number,
  row: Float32Array,
  offset: number,
  keys: Float64Array,
  sortedValues: Float64Array,
): void {
  if (row.length - offset > INDEX_BITS) {
    const view = Array.from(indices.subarray(0, count));
    view.sort((a, b) => (row[offset + a] as number) - (row[offset + b] as number) || a - b);
    for (let k = 0; k < count; k++) {
      const j = view[k] as number;
      indices[k] = j;
      sortedValues[k] = row[offset + j] as number;
    }
    return;
  }
  for (let k = 0; k < count; k++) {
    const j = indices[k] as number;
    keys[k] = orderable(row[offset + j] as number) * INDEX_BITS + j;
  }
  const sorted = keys.subarray(0, count).sort();
  for (let k = 0; k < count; k++) {
    const key = sorted[k] as number;
    const j = key % INDEX_BITS;
    indices[k] = j;
    sortedValues[k] = row[offset + j] as number;
  }
}
