import { describe, expect, it } from 'vitest';
import { guide, imageToPlanar, planarToImage, relativeError } from './latentMath';

describe('latent math', () => {
  it('guidance 1 is the conditional prediction, 0 the unconditional, >1 extrapolates', () => {
    const u = Float32Array.from([1, 2]);
    const c = Float32Array.from([3, 1]);
    expect(Array.from(guide(u, c, 1))).toEqual([3, 1]);
    expect(Array.from(guide(u, c, 0))).toEqual([1, 2]);
    expect(Array.from(guide(u, c, 7.5))).toEqual([16, -5.5]);
  });

  it('images go to planar ranges and back', () => {
    const img = { width: 2, height: 1, data: Uint8Array.from([0, 128, 255, 10, 20, 30]) };
    const p = imageToPlanar(img, -1, 1);
    expect(p[0]).toBe(-1); // R of pixel 0
    expect(p[4]).toBe(1); // B of pixel 0
    expect(Array.from(planarToImage(p, 2, 1).data)).toEqual([0, 128, 255, 10, 20, 30]);
    expect(imageToPlanar(img, 0, 1)[2]).toBeCloseTo(128 / 255, 6); // G of pixel 0
    expect(Array.from(planarToImage(Float32Array.from([-3, 3, 0, 0, 0, 0]), 2, 1).data)).toEqual([
      0, 128, 128, 255, 128, 128,
    ]);
  });

  it('relative error', () => {
    expect(relativeError(Float32Array.from([3, 4]), Float32Array.from([3, 4]))).toBe(0);
    expect(relativeError(Float32Array.from([3, 5]), Float32Array.from([3, 4]))).toBeCloseTo(0.2, 6);
  });
});
