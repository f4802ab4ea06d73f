import { describe, expect, it } from 'vitest';
import { inpaintTelea } from './inpaint';

/** A w×h image of one channel per pixel made by f(x, y), and its hole made by inside(x, y). */
function scene(
  w: number,
  h: number,
  f: (x: number, y: number) => number,
  inside: (x: number, y: number) => boolean,
) {
  const image = new Float32Array(w * h);
  const hole = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      image[y * w + x] = inside(x, y) ? 999 : f(x, y); // the hole's old content must not leak
      hole[y * w + x] = inside(x, y) ? 1 : 0;
    }
  return { image, hole };
}

describe('Telea inpainting', () => {
  it('leaves every known pixel exactly as it was', () => {
    const w = 40;
    const { image, hole } = scene(
      w,
      w,
      (x, y) => Math.sin(x) * 50 + y,
      (x, y) => (x - 20) ** 2 + (y - 20) ** 2 < 64,
    );
    const out = inpaintTelea(image, hole, w, w, { channels: 1 });
    const changed = [...out].filter((v, i) => !hole[i] && v !== image[i]);
    expect(changed).toEqual([]);
    expect(out).not.toBe(image);
    expect([...out].some((v, i) => hole[i] && v === 999)).toBe(false);
  });

  it('fills a thin hole in a linear gradient within a pixel step of it', () => {
    const w = 64;
    const ramp = (x: number, y: number) => 2 * x + 0.5 * y;
    const inside = (x: number) => x >= 30 && x < 34;
    const { image, hole } = scene(w, w, ramp, inside);
    const out = inpaintTelea(image, hole, w, w, { channels: 1 });
    let worst = 0;
    for (let y = 0; y < w; y++)
      for (let x = 0; x < w; x++)
        if (inside(x)) worst = Math.max(worst, Math.abs(out[y * w + x]! - ramp(x, y)));
    // The ramp climbs 2 a pixel; Telea's weighted mean lags the front by about a pixel. (A wide
    // hole in a ramp is filled flat from each side: a known limit of Telea, docs/puppet.md.)
    expect(worst).toBeLessThan(3);
  });

  it('continues a line that crosses the hole', () => {
    const w = 64;
    const { image, hole } = scene(
      w,
      w,
      (_, y) => (y === 30 || y === 31 ? 0 : 1),
      (x) => x >= 26 && x < 38,
    );
    const out = inpaintTelea(image, hole, w, w, { channels: 1 });
    // Mid-hole, 6 px from either side: the line's row stays dark, rows away from it stay light.
    expect(out[30 * w + 31]!).toBeLessThan(0.7);
    expect(out[20 * w + 31]!).toBeGreaterThan(0.99);
  });

  it('fills a one-pixel hole from its neighbours', () => {
    const w = 9;
    const { image, hole } = scene(
      w,
      w,
      (x) => x * 10,
      (x, y) => x === 4 && y === 4,
    );
    const out = inpaintTelea(image, hole, w, w, { channels: 1 });
    expect(out[4 * w + 4]).toBeCloseTo(40, 0);
  });

  it('carries every channel separately', () => {
    const w = 16;
    const image = new Float32Array(w * w * 3);
    const hole = new Uint8Array(w * w);
    for (let i = 0; i < w * w; i++) {
      image.set([0.2, 0.4, 0.6], i * 3);
      if (Math.abs((i % w) - 8) < 3 && Math.abs(Math.floor(i / w) - 8) < 3) hole[i] = 1;
    }
    const out = inpaintTelea(image, hole, w, w);
    for (let i = 0; i < w * w; i++)
      for (let c = 0; c < 3; c++) expect(out[i * 3 + c]).toBeCloseTo([0.2, 0.4, 0.6][c]!, 6);
  });

  it('stays within the colours around the hole on noise (no speckles)', () => {
    const w = 48;
    let seed = 7;
    const noise = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff) * 255;
    const inside = (x: number, y: number) => x > 14 && x < 34 && y > 14 && y < 34;
    const { image, hole } = scene(w, w, () => noise(), inside);
    const out = inpaintTelea(image, hole, w, w, { channels: 1 });
    const known = image.filter((_, i) => !hole[i]);
    const filled = out.filter((_, i) => hole[i]);
    expect(Math.min(...filled)).toBeGreaterThanOrEqual(Math.min(...known));
    expect(Math.max(...filled)).toBeLessThanOrEqual(Math.max(...known));
  });

  it('a hole touching the picture border fills to the border', () => {
    const w = 20;
    const { image, hole } = scene(
      w,
      w,
      () => 100,
      (x, y) => x < 6 && y < 6,
    );
    const out = inpaintTelea(image, hole, w, w, { channels: 1 });
    expect(out[0]).toBeCloseTo(100, 5);
  });

  it('a picture that is all hole gives zeros, never NaN', () => {
    const image = new Float32Array(5 * 4 * 3).fill(NaN);
    const out = inpaintTelea(image, new Uint8Array(20).fill(1), 5, 4);
    expect([...out].every((v) => v === 0)).toBe(true);
  });

  it('a picture with no hole comes back unchanged', () => {
    const image = Float32Array.from({ length: 12 }, (_, i) => i);
    expect([...inpaintTelea(image, new Uint8Array(4), 2, 2)]).toEqual([...image]);
  });

  it('a 1×1 picture and single rows work', () => {
    expect([
      ...inpaintTelea(new Float32Array([5]), new Uint8Array([1]), 1, 1, { channels: 1 }),
    ]).toEqual([0]);
    const row = inpaintTelea(new Float32Array([10, 0, 0, 40]), new Uint8Array([0, 1, 1, 0]), 4, 1, {
      channels: 1,
    });
    expect(row[1]).toBeGreaterThanOrEqual(10);
    expect(row[2]).toBeLessThanOrEqual(40);
    expect(row[1]! < row[2]!).toBe(true);
  });

  it('refuses arrays of the wrong size', () => {
    expect(() => inpaintTelea(new Float32Array(10), new Uint8Array(4), 2, 2)).toThrow(RangeError);
  });
});
