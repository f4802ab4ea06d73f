import { describe, expect, it } from 'vitest';
import { averageWithMirror, cropToPicture, mirrorCrop, personCrop, sampleCrop } from './personCrop';

function pose(points: [number, number][]): Float64Array {
  const p = new Float64Array(408);
  points.forEach(([x, y], k) => {
    p[k * 3] = x;
    p[k * 3 + 1] = y;
    p[k * 3 + 2] = 1;
  });
  return p;
}

describe('personCrop', () => {
  it('is a square around the joints with room above the nose', () => {
    const c = personCrop(
      pose([
        [100, 50],
        [100, 70],
        [80, 150],
        [120, 250],
      ]),
      640,
      480,
    );
    expect(c.size).toBeGreaterThan(200 * 1.3);
    expect(c.x).toBeLessThan(80);
    expect(c.x + c.size).toBeGreaterThan(120);
    expect(c.y).toBeLessThan(50 - 200 / 6 + 1);
    expect(c.y + c.size).toBeGreaterThan(250);
  });

  it('falls back to the whole picture without two joints, and ignores NaN joints', () => {
    expect(personCrop(pose([[10, 10]]), 100, 50)).toEqual({ x: 0, y: -25, size: 100 });
    const p = pose([
      [10, 10],
      [Number.NaN, 5],
    ]);
    expect(personCrop(p, 100, 50).size).toBe(100);
  });
});

describe('sampleCrop and cropToPicture', () => {
  it('round-trips a picture region and is 0 outside the crop', () => {
    const w = 40;
    const h = 30;
    const rgba = new Uint8Array(w * h * 4);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) rgba.set([x * 6, y * 8, 100, 255], (y * w + x) * 4);
    const crop = { x: 10, y: 5, size: 20 };
    const S = 40;
    const input = sampleCrop(rgba, w, h, crop, S);
    expect(input).toHaveLength(S * S * 3);
    // The crop's centre pixel samples the picture's (20, 15).
    const c = ((S / 2) * S + S / 2) * 3;
    expect(input[c]! * 255).toBeCloseTo(20 * 6 + 3, -1);
    const red = new Float32Array(S * S);
    for (let i = 0; i < S * S; i++) red[i] = input[i * 3]!;
    const back = cropToPicture(red, S, crop, w, h);
    expect(back[15 * w + 20]! * 255).toBeCloseTo(20 * 6, -1);
    expect(back[0]).toBe(0); // outside the crop
    // Padding outside the picture samples zeros.
    const out = sampleCrop(rgba, w, h, { x: -20, y: -20, size: 10 }, 4);
    expect(Math.max(...out)).toBe(0);
  });
});

describe('test-time mirroring', () => {
  it('mirrors a crop left to right, pixel by pixel, channels kept together', () => {
    const S = 3;
    const rgb = Float32Array.from({ length: S * S * 3 }, (_, i) => i);
    const m = mirrorCrop(rgb, S, 3);
    expect(Array.from(m.subarray(0, 3))).toEqual([6, 7, 8]); // row 0: pixel 2 first
    expect(Array.from(m.subarray(6, 9))).toEqual([0, 1, 2]);
    expect(Array.from(m.subarray(12, 15))).toEqual([12, 13, 14]); // the middle column stays
    expect(mirrorCrop(m, S, 3)).toEqual(rgb);
  });

  it('averages a mask with the mirrored crop’s mask turned back', () => {
    const S = 4;
    // The model sees a person on the left; on the mirrored crop it sees them on the right.
    const soft = new Float32Array(S * S);
    const mirrored = new Float32Array(S * S);
    for (let y = 0; y < S; y++) {
      soft[y * S] = 1;
      mirrored[y * S + S - 1] = 0.6; // less sure of the same column
      mirrored[y * S + 1] = 0.4; // and wrongly of column 2
    }
    const avg = averageWithMirror(soft, mirrored, S);
    for (let y = 0; y < S; y++) {
      expect(avg[y * S]).toBeCloseTo(0.8, 6);
      expect(avg[y * S + 1]).toBe(0);
      expect(avg[y * S + 2]).toBeCloseTo(0.2, 6);
      expect(avg[y * S + 3]).toBe(0);
    }
  });
});
