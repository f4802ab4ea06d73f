import { describe, expect, it } from 'vitest';
import { SeededRandom, frameNoise } from './seededNoise';

describe('SeededRandom', () => {
  it('repeats for the same seed and differs for another', () => {
    expect(Array.from(new SeededRandom(42).normals(8))).toEqual(
      Array.from(new SeededRandom(42).normals(8)),
    );
    expect(new SeededRandom(42).normal()).not.toBe(new SeededRandom(43).normal());
  });

  it('gives standard normals (moments of 200k draws)', () => {
    const xs = new SeededRandom(7).normals(200_000);
    let mean = 0;
    for (const x of xs) mean += x;
    mean /= xs.length;
    let variance = 0;
    let fourth = 0;
    for (const x of xs) {
      variance += (x - mean) ** 2;
      fourth += (x - mean) ** 4;
    }
    variance /= xs.length;
    fourth /= xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(variance).toBeCloseTo(1, 1);
    expect(fourth / variance ** 2).toBeCloseTo(3, 1); // kurtosis of a normal
    expect(xs.every(Number.isFinite)).toBe(true);
  });

  it('uniforms stay in [0, 1) and fill it evenly', () => {
    const rng = new SeededRandom(1);
    const bins = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const u = rng.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      bins[Math.floor(u * 10)]++;
    }
    for (const b of bins) expect(Math.abs(b - 10_000)).toBeLessThan(500);
  });

  it('frame noise depends on seed and frame only', () => {
    expect(Array.from(frameNoise(5, 3, 16))).toEqual(Array.from(frameNoise(5, 3, 16)));
    expect(frameNoise(5, 3, 16)[0]).not.toBe(frameNoise(5, 4, 16)[0]);
    expect(frameNoise(5, 3, 16)[0]).not.toBe(frameNoise(6, 3, 16)[0]);
    expect(frameNoise(5, 3, 4, 2)[1]).toBeCloseTo(2 * frameNoise(5, 3, 4)[1]!, 5);
  });
});
