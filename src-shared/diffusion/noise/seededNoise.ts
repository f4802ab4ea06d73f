/**
 * Seeded noise for latents: the same seed gives the same video on every machine and process,
 * which is what lets a render be resumed, split across machines (`interleaved` anchors) or
 * compared in tests. SplitMix32-style mixing of a 32-bit state (fast, well distributed, no
 * platform dependence), and Box–Muller for normals.
 */
export class SeededRandom {
  private state: number;
  private spare: number | null = null;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
    this.state = Math.trunc(seed) >>> 0;
  }

  /** Uniform in [0, 1), 32 bits of resolution. */
  uniform(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z = (z ^ (z >>> 16)) >>> 0;
    return z / 4294967296;
  }

  /** Standard normal (Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    // 1 − u keeps the logarithm's argument in (0, 1].
    const r = Math.sqrt(-2 * Math.log(1 - this.uniform()));
    const theta = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** `count` standard normals scaled by `sigma`. */
  normals(count: number, sigma = 1): Float32Array {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = this.normal() * sigma;
    return out;
  }
}

/**
 * Noise of one frame of a render: derived from the render seed and the frame index (not from a
 * running stream), so a frame's noise does not depend on which window or machine makes it.
 */
export function frameNoise(seed: number, frame: number, count: number, sigma = 1): Float32Array {
  const mixed =
    (Math.imul(Math.trunc(seed) >>> 0, 0x01000193) ^ Math.imul(frame + 1, 0x9e3779b1)) >>> 0;
  return new SeededRandom(mixed).normals(count, sigma);
}
