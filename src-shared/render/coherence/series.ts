import type { CoherencePoint } from '#shared/api/coherence';

/** Default number of points a plotted series is kept under. */
export const MAX_SERIES_POINTS = 500;

/**
 * A per-frame series kept at ≤ `maxPoints` points however long the video: frames are pooled into
 * buckets of a power-of-two width, and when the buckets would exceed the limit, neighbours are
 * merged and the width doubles. Each point keeps its mean (the trend) and its max (so a one-frame
 * spike stays visible on the plot).
 */
export class DecimatedSeries {
  private width = 1;
  private readonly closed: Bucket[] = [];
  private open: Bucket | null = null;
  private lastFrame = -1;

  constructor(private readonly maxPoints = MAX_SERIES_POINTS) {
    if (!Number.isInteger(maxPoints) || maxPoints < 2)
      throw new RangeError(`a series needs at least 2 points, got ${maxPoints}`);
  }

  add(frame: number, value: number): void {
    if (!Number.isInteger(frame) || frame <= this.lastFrame)
      throw new RangeError(`series frames must increase: ${frame} after ${this.lastFrame}`);
    if (!Number.isFinite(value)) throw new RangeError(`series value at frame ${frame} is ${value}`);
    this.lastFrame = frame;
    const start = frame - (frame % this.width);
    if (this.open && this.open.from === start) {
      this.open.add(frame, value);
      return;
    }
    if (this.open) this.closed.push(this.open);
    this.open = new Bucket(start, frame, value);
    // `open` counts as a point too.
    while (this.closed.length + 1 > this.maxPoints) this.mergePairs();
  }

  points(): CoherencePoint[] {
    const all = this.open ? [...this.closed, this.open] : this.closed;
    return all.map((b) => ({ from: b.first, to: b.last, mean: b.sum / b.n, max: b.max }));
  }

  private mergePairs(): void {
    this.width *= 2;
    const merged: Bucket[] = [];
    for (const b of this.closed) {
      const last = merged.at(-1);
      const from = b.from - (b.from % this.width);
      if (last && last.from === from) last.merge(b);
      else merged.push(b.rebased(from));
    }
    const open = this.open!;
    const openFrom = open.from - (open.from % this.width);
    const last = merged.at(-1);
    if (last && last.from === openFrom) {
      merged.pop();
      last.merge(open);
      this.open = last;
    } else this.open = open.rebased(openFrom);
    this.closed.length = 0;
    this.closed.push(...merged);
  }
}

class Bucket {
  sum: number;
  n = 1;
  max: number;
  last: number;
  constructor(
    /** Bucket start (a multiple of the width); `first` is the first frame that has a value. */
    readonly from: number,
    readonly first: number,
    value: number,
  ) {
    this.sum = value;
    this.max = value;
    this.last = first;
  }
  add(frame: number, value: number): void {
    this.sum += value;
    this.n++;
    if (value > this.max) this.max = value;
    this.last = frame;
  }
  merge(o: Bucket): void {
    this.sum += o.sum;
    this.n += o.n;
    if (o.max > this.max) this.max = o.max;
    this.last = o.last;
  }
  rebased(from: number): Bucket {
    const b = new Bucket(from, this.first, 0);
    b.sum = this.sum;
    b.n = this.n;
    b.max = this.max;
    b.last = this.last;
    return b;
  }
}
