/**
 * An append-only int32 buffer that doubles its capacity, so a miner can emit a tuple whose
 * size is only known at the end without a counting pass.
 */
export class GrowableInt32 {
  private data: Int32Array;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.data = new Int32Array(Math.max(16, initialCapacity));
  }

  push(value: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = value;
  }

  /** Ensures room for `extra` more values (call before a burst of `pushUnchecked`). */
  reserve(extra: number): void {
    if (this.length + extra > this.data.length) this.grow(this.length + extra);
  }

  pushUnchecked(value: number): void {
    this.data[this.length++] = value;
  }

  /** The values as an exactly sized `Int32Array` (a copy only when capacity is larger). */
  toArray(): Int32Array {
    return this.length === this.data.length ? this.data : this.data.slice(0, this.length);
  }

  private grow(needed: number): void {
    let capacity = this.data.length * 2;
    while (capacity < needed) capacity *= 2;
    const next = new Int32Array(capacity);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}
