import { describe, expect, it } from 'vitest';
import { FrameDigester } from './thumbnail';

describe('FrameDigester', () => {
  it('box-averages a 512² frame onto 64×64 cells from a 4×4 sub-grid of each 8×8 cell', () => {
    const w = 512;
    const d = new FrameDigester(w, w);
    expect([d.cols, d.rows, d.step]).toEqual([64, 64, 2]);
    // Each 8×8 cell is one colour that depends on its position.
    const data = new Uint8Array(w * w * 3);
    for (let y = 0; y < w; y++)
      for (let x = 0; x < w; x++) data.set([x >> 3, y >> 3, (x >> 3) ^ (y >> 3)], (y * w + x) * 3);
    const g = d.digest({ width: w, height: w, data });
    for (const [cx, cy] of [
      [0, 0],
      [63, 0],
      [17, 41],
      [63, 63],
    ] as const) {
      const k = (cy * 64 + cx) * 3;
      expect(Array.from(g.cells.subarray(k, k + 3))).toEqual([cx, cy, cx ^ cy]);
    }
    expect(g.frameMean[0]).toBeCloseTo(31.5, 6);
    expect(g.characterMean).toBeNull();
    expect(g.backgroundMean).toBeNull();
  });

  it('samples every pixel of small frames and splits means by the mask', () => {
    const d = new FrameDigester(4, 2);
    expect([d.cols, d.rows, d.step]).toEqual([4, 2, 1]);
    const data = Uint8Array.from({ length: 24 }, (_, i) => (Math.floor(i / 3) < 4 ? 10 : 30));
    const mask = Uint8Array.from([1, 1, 1, 1, 0, 0, 0, 0]);
    const g = d.digest({ width: 4, height: 2, data }, mask);
    expect(g.characterMean).toEqual([10, 10, 10]);
    expect(g.backgroundMean).toEqual([30, 30, 30]);
    expect(g.frameMean).toEqual([20, 20, 20]);
  });

  it('refuses sizes that are not positive whole numbers', () => {
    for (const [w, h] of [
      [0, 5],
      [5, Number.NaN],
      [1.5, 2],
      [-1, 2],
    ])
      expect(() => new FrameDigester(w!, h!)).toThrow(/positive whole numbers/);
  });
});
