/** A binary max-heap of items ordered by `(priority, tie)` (both compared descending). */
export class MaxHeap<T> {
  private readonly items: { item: T; priority: number; tie: number }[] = [];

  get size(): number {
    return this.items.length;
  }

  push(item: T, priority: number, tie: number): void {
    const items = this.items;
    items.push({ item, priority, tie });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.above(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0] as { item: T };
    const last = items.pop() as { item: T; priority: number; tie: number };
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < items.length && this.above(l, best)) best = l;
        if (r < items.length && this.above(r, best)) best = r;
        if (best === i) break;
        this.swap(i, best);
        i = best;
      }
    }
    return top.item;
  }

  private above(i: number, j: number): boolean {
    const a = this.items[i] as { priority: number; tie: number };
    const b = this.items[j] as { priority: number; tie: number };
    return a.priority > b.priority || (a.priority === b.priority && a.tie > b.tie);
  }

  private swap(i: number, j: number): void {
    const items = this.items;
    const t = items[i] as (typeof items)[number];
    items[i] = items[j] as (typeof items)[number];
    items[j] = t;
  }
}
