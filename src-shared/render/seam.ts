import type { RgbImage } from '../image/rgbImage';

/**
 * Seam score (docs long-video.md): mean |x_t − x_{t−1}| across segment boundaries divided by the
 * same measure inside segments. 1.0 means the boundaries are invisible to this measure; > 1 means
 * visible jumps (flicker / ghosting at window seams). Streaming: frames are fed one at a time so a
 * long video never has to be in memory.
 */
export class SeamMeter {
  private prev: RgbImage | null = null;
  private frame = 0;
  private seamSum = 0;
  private seamCount = 0;
  private innerSum = 0;
  private innerCount = 0;
  private readonly boundaries: Set<number>;

  /** `boundaries`: frame numbers (relative to the first frame fed) that start a new segment. */
  constructor(boundaries: Iterable<number>) {
    this.boundaries = new Set(boundaries);
  }

  add(image: RgbImage): void {
    if (this.prev) {
      if (this.prev.width !== image.width || this.prev.height !== image.height)
        throw new Error('seam score: frames differ in size');
      const d = meanAbsDiff(this.prev.data, image.data);
      if (this.boundaries.has(this.frame)) {
        this.seamSum += d;
        this.seamCount++;
      } else {
        this.innerSum += d;
        this.innerCount++;
      }
    }
    this.prev = image;
    this.frame++;
  }

  /** null until at least one seam and one inner frame pair were seen (or nothing moves inside). */
  score(): number | null {
    if (this.seamCount === 0 || this.innerCount === 0) return null;
    const inner = this.innerSum / this.innerCount;
    if (inner === 0) return null;
    return this.seamSum / this.seamCount / inner;
  }
}

export function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return a.length ? sum / a.length : 0;
}
