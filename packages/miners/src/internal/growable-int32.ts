/**
 * An append-only int32 buffer that doubles its capacity, so a miner can emit a tuple whose
 * size is only known at the end without a counting pass.
 */
export class GrowableInt32 {
  data: Int32Array;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.data = new Int32Array(Math.max(16, initialCapacity));
  }

  push(value: number): void {
    if (this.length === this.data.length) this.reserve(1);
    this.data[this.length++] = value;
  }

  /** Ensures room for `extra` more values. */
  reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.data.length) return;
    let capacity = this.data.length * 2;
    while (capacity < needed) capacity *= 2;
    const next = new Int32Array(capacity);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }

  /** Appends `count` copies of `value` (a native fill). */
  pushRepeated(value: number, count: number): void {
    this.reserve(count);
    this.data.fill(value, this.length, this.length + count);
    this.length += count;
  }

  /** Appends `values[0..count)` (a native copy). */
  pushAll(values: Int32Array, count: number): void {
    this.reserve(count);
    this.data.set(count === values.length ? values : values.subarray(0, count), this.length);
    this.length += count;
  }

  /**
   * The values: a view of the first `length` entries when they fill at least half of the
   * buffer (no copy), otherwise an exactly sized copy (so a generous initial capacity is
   * never kept alive by a small result).
   */
  toArray(): Int32Array {
    return this.length * 2 >= this.data.length ? this.data.subarray(0, this.length) : this.data.slice(0, this.length);
  }
}
