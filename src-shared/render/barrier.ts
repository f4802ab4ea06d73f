/**
 * Ordering barrier: items finish in any order (parallel workers) but leave in index order
 * (the encoder needs frames in sequence). Holds only the items that arrived early, so memory is
 * bounded by how far ahead the dispatcher lets work run.
 */
export class OrderingBarrier<T> {
  private pending = new Map<number, T>();
  private nextIndex: number;

  constructor(first = 0) {
    this.nextIndex = first;
  }

  /** The index the barrier waits for next. */
  get next(): number {
    return this.nextIndex;
  }

  /** Items held back because an earlier one has not arrived yet. */
  get held(): number {
    return this.pending.size;
  }

  /** Adds item `index` and returns every item now releasable, in order. */
  push(index: number, item: T): T[] {
    if (index < this.nextIndex || this.pending.has(index))
      throw new Error(`ordering barrier: item ${index} delivered twice`);
    this.pending.set(index, item);
    const out: T[] = [];
    for (
      let v = this.pending.get(this.nextIndex);
      v !== undefined;
      v = this.pending.get(this.nextIndex)
    ) {
      this.pending.delete(this.nextIndex);
      this.nextIndex++;
      out.push(v);
    }
    return out;
  }
}
