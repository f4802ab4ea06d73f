/** Binary min-heap of (distance, payload) in typed arrays that grow on demand. */
export class MinHeap {
  private keys = new Float64Array(1024);
  private vals = new Int32Array(1024);
  size = 0;
  push(key: number, val: number): void {
    if (this.size === this.keys.length) {
      const k = new Float64Array(this.size * 2);
      const v = new Int32Array(this.size * 2);
      k.set(this.keys);
      v.set(this.vals);
      this.keys = k;
      this.vals = v;
    }
    const k = this.keys;
    const v = this.vals;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (k[p]! <= key) break;
      k[i] = k[p]!;
      v[i] = v[p]!;
      i = p;
    }
    k[i] = key;
    v[i] = val;
  }
  /** Pops the smallest; its key is left in `topKey`. */
  topKey = 0;
  pop(): number {
    const k = this.keys;
    const v = this.vals;
    this.topKey = k[0]!;
    const top = v[0]!;
    const n = --this.size;
    const lk = k[n]!;
    const lv = v[n]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const c = l + 1 < n && k[l + 1]! < k[l]! ? l + 1 : l;
      if (k[c]! >= lk) break;
      k[i] = k[c]!;
      v[i] = v[c]!;
      i = c;
    }
    k[i] = lk;
    v[i] = lv;
    return top;
  }
}
