import { describe, expect, it } from 'vitest';
import { countSet, dilate, keepCharacterComponents, type Rgba } from './mask';
import { maskFromUniformBackground } from './flatBackground';
import { fillBackground } from './backgroundFill';
import { emptyPoints, setPoint } from '#shared/pose/types';

function picture(
  w: number,
  h: number,
  fill: (x: number, y: number) => [number, number, number],
): Rgba {
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) data.set([...fill(x, y), 255], (y * w + x) * 4);
  return { width: w, height: h, data };
}

describe('foreground mask', () => {
  const square = picture(40, 30, (x, y) =>
    x >= 10 && x < 20 && y >= 5 && y < 25 ? [200, 0, 0] : [250, 250, 250],
  );

  it('flood-fills a near-uniform background from the borders', () => {
    const m = maskFromUniformBackground(square)!;
    expect(countSet(m)).toBe(10 * 20);
    expect(m[15 * 40 + 15]).toBe(1);
  });

  it('gives up on a busy border (a photo)', () => {
    const noisy = picture(40, 30, (x, y) => [
      (x * 37 + y * 91) % 256,
      (x * 13) % 256,
      (y * 59) % 256,
    ]);
    expect(maskFromUniformBackground(noisy)).toBeUndefined();
  });

  it('keeps the pieces that hold the pose and drops specks', () => {
    const m = maskFromUniformBackground(square)!;
    m[2 * 40 + 35] = 1; // a speck
    const pose = emptyPoints();
    setPoint(pose, 1, 15, 10);
    const kept = keepCharacterComponents(m, 40, 30, pose);
    expect(countSet(kept)).toBe(200);
  });

  it('dilates exactly as "any set pixel within r on both axes", on any shape and size', () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) / 65536;
    for (const [w, h] of [
      [1, 1],
      [7, 3],
      [3, 9],
      [31, 17],
      [64, 64],
    ] as const)
      for (const r of [1, 2, 3, 40])
        for (const density of [0.02, 0.3]) {
          // Any non-zero byte is set (masks are not always 0/1).
          const m = Uint8Array.from({ length: w * h }, () =>
            rand() < density ? 1 + ((rand() * 254) | 0) : 0,
          );
          const want = new Uint8Array(w * h);
          for (let y = 0; y < h; y++)
            for (let x = 0; x < w; x++)
              for (let v = Math.max(0, y - r); v <= Math.min(h - 1, y + r); v++)
                for (let u = Math.max(0, x - r); u <= Math.min(w - 1, x + r); u++)
                  if (m[v * w + u]) want[y * w + x] = 1;
          expect(dilate(m, w, h, r)).toEqual(want);
        }
  });

  it('dilates by a square radius', () => {
    const m = new Uint8Array(25);
    m[12] = 1;
    expect(countSet(dilate(m, 5, 5, 1))).toBe(9);
    expect(countSet(dilate(m, 5, 5, 2))).toBe(25);
  });
});

describe('background plate', () => {
  it('keeps known pixels and fills the hole from its surroundings', () => {
    const w = 32;
    const rgb = new Float32Array(w * w * 3);
    const known = new Uint8Array(w * w);
    for (let i = 0; i < w * w; i++) {
      const x = i % w;
      const inside = x > 8 && x < 24 && i / w > 8 && i / w < 24;
      known[i] = inside ? 0 : 1;
      rgb.set(inside ? [1, 0, 0] : [0.2, 0.4, 0.6], i * 3);
    }
    const out = fillBackground(rgb, known, w, w);
    for (let i = 0; i < w * w; i++)
      for (let c = 0; c < 3; c++) expect(out[i * 3 + c]).toBeCloseTo([0.2, 0.4, 0.6][c]!, 5);
  });

  it('continues a line through the hole instead of blurring it away (Telea, not push–pull)', () => {
    const w = 64;
    const rgb = new Float32Array(w * w * 3);
    const known = new Uint8Array(w * w);
    for (let y = 0; y < w; y++)
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        known[i] = x >= 26 && x < 38 ? 0 : 1;
        const v = y === 30 || y === 31 ? 0 : 1; // a dark fence rail behind the character
        rgb.set([v, v, v], i * 3);
      }
    const out = fillBackground(rgb, known, w, w);
    // Mid-hole the rail is 0.64 (a blur of the surroundings gave 0.84, i.e. nearly gone).
    expect(out[(30 * w + 31) * 3]!).toBeLessThan(0.7);
    expect(out[(20 * w + 31) * 3]!).toBeGreaterThan(0.99);
  });

  it('does not carry the colours of a ring next to the hole into it (ignoreRing)', () => {
    const w = 40;
    const rgb = new Float32Array(w * w * 3);
    const known = new Uint8Array(w * w);
    for (let y = 0; y < w; y++)
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        const d = Math.max(Math.abs(x - 20), Math.abs(y - 20));
        known[i] = d < 8 ? 0 : 1;
        // A red halo two pixels wide around the hole: the character's edge the mask missed.
        rgb.set(d < 10 ? [1, 0, 0] : [0.1, 0.6, 0.2], i * 3);
      }
    const out = fillBackground(rgb, known, w, w, { ignoreRing: 2 });
    for (let i = 0; i < w * w; i++) {
      if (known[i]) {
        expect(out[i * 3]).toBe(rgb[i * 3]);
        continue;
      }
      expect(out[i * 3]).toBeCloseTo(0.1, 4);
      expect(out[i * 3 + 1]).toBeCloseTo(0.6, 4);
    }
  });

  it('fills a big picture on a scaled copy: known pixels exact, the hole smooth, no NaN', () => {
    const w = 2100;
    const h = 1500;
    const rgb = new Float32Array(w * h * 3);
    const known = new Uint8Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        const inside = Math.abs(x - 1000) < 400 && Math.abs(y - 700) < 500;
        known[i] = inside ? 0 : 1;
        rgb.set(inside ? [1, 0, 0] : [0.2, 0.4, x / w], i * 3);
      }
    const out = fillBackground(rgb, known, w, h, { ignoreRing: 2 });
    let worst = 0;
    for (let i = 0; i < w * h; i++) {
      if (known[i]) {
        if (out[i * 3 + 2] !== rgb[i * 3 + 2]) worst = Infinity;
        continue;
      }
      worst = Math.max(worst, Math.abs(out[i * 3]! - 0.2), Math.abs(out[i * 3 + 1]! - 0.4));
    }
    expect(worst).toBeLessThan(1e-5);
  });
});
