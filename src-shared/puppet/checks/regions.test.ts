import { describe, expect, it } from 'vitest';
import { dilate } from '../mask';
import { alphaFromTwoBackgrounds, count, enclosedHolePixels, pieces, psnrOver } from './regions';

describe('region checks', () => {
  it('PSNR only over the region; equal there is ∞', () => {
    const a = new Uint8Array([10, 10, 10, 0, 0, 0]);
    const b = new Uint8Array([10, 10, 10, 255, 255, 255]);
    expect(psnrOver(a, b, new Uint8Array([1, 0]))).toBe(Infinity);
    expect(psnrOver(a, b, new Uint8Array([0, 1]))).toBeCloseTo(0, 9);
    expect(() => psnrOver(a, b, new Uint8Array(2))).toThrow(RangeError);
  });

  it('alpha from black and white renders', () => {
    const onBlack = new Uint8Array([0, 0, 0, 100, 50, 20, 50, 25, 10]);
    const onWhite = new Uint8Array([255, 255, 255, 100, 50, 20, 177, 152, 137]);
    const a = alphaFromTwoBackgrounds(onBlack, onWhite);
    expect(Array.from(a).map((v) => +v.toFixed(2))).toEqual([0, 1, 0.5]);
  });

  it('pieces, enclosed holes and growing', () => {
    const W = 7;
    const m = new Uint8Array([
      1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0,
    ]);
    expect(pieces(m, W, 4)).toEqual([8, 2]);
    expect(enclosedHolePixels(m, W, 4)).toBe(1);
    const g = dilate(new Uint8Array([0, 0, 0, 1, 0, 0, 0]), 7, 1, 2);
    expect(Array.from(g)).toEqual([0, 1, 1, 1, 1, 1, 0]);
    expect(count(dilate(m, W, 4, 1))).toBe(16 + 11);
  });
});
