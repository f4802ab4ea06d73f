import { describe, expect, it } from 'vitest';
import { MARKER_TOLERANCE, findMarker, paintMarkers, pickMarkerColours } from './markers';

const W = 40;
const H = 30;
const rgba = (grey = 200) => {
  const p = new Uint8Array(W * H * 4).fill(grey);
  return p;
};
const toRgb = (p: Uint8Array) => {
  const out = new Uint8Array(W * H * 3);
  for (let i = 0; i < W * H; i++) for (let c = 0; c < 3; c++) out[i * 3 + c] = p[i * 4 + c]!;
  return out;
};

describe('joint markers', () => {
  it('colours avoid the picture’s own saturated colours', () => {
    const p = rgba();
    p.set([255, 0, 0, 255], 0); // one pure red pixel
    const colours = pickMarkerColours(p, 4, 6);
    expect(colours).toHaveLength(6);
    for (const c of colours)
      expect(Math.max(255 - c[0], c[1], c[2])).toBeGreaterThan(2 * MARKER_TOLERANCE);
    // No two of them can be taken for each other.
    for (const a of colours)
      for (const b of colours)
        if (a !== b)
          expect(Math.max(...a.map((v, k) => Math.abs(v - b[k]!)))).toBeGreaterThan(
            2 * MARKER_TOLERANCE,
          );
  });

  it('a cartoon in many saturated hues still leaves 14 markers, none of its colours', () => {
    // Every other hue of the wheel (red, yellow, blue… as a cartoon cat has), a pixel each.
    const p = rgba();
    for (let h = 0; h < 18; h++) {
      const k = (n: number) => (n + (h * 20) / 60) % 6;
      const f = (n: number) => Math.round(255 * (1 - Math.max(0, Math.min(k(n), 4 - k(n), 1))));
      p.set([f(5), f(3), f(1), 255], h * 4);
    }
    const colours = pickMarkerColours(p, 4, 14);
    expect(colours).toHaveLength(14);
    const far = (a: readonly number[], b: readonly number[]) =>
      Math.max(...a.map((v, k) => Math.abs(v - b[k]!))) > 2 * MARKER_TOLERANCE;
    for (const c of colours)
      for (let i = 0; i < 18; i++)
        expect(far(c, Array.from(p.subarray(i * 4, i * 4 + 3)))).toBe(true);
    for (const a of colours) for (const b of colours) if (a !== b) expect(far(a, b)).toBe(true);
  });

  it('a picture that uses every colour leaves none: it says so', () => {
    const p = new Uint8Array(64 * 64 * 64 * 4);
    for (let i = 0; i < 64 * 64 * 64; i++)
      p.set([(i >> 12) * 4, ((i >> 6) & 63) * 4, (i & 63) * 4, 255], i * 4);
    expect(() => pickMarkerColours(p, 4, 1)).toThrow(/too many colours/);
  });

  it('a blend of another marker with the picture is not a ghost of this one', () => {
    // A dark-blue marker at (10, 10); another, blue, at (30, 15) whose resampled edge over a dark
    // outline came out dark blue: no copy of the first, unless nothing else is there.
    const p = toRgb(rgba());
    const dot = (x: number, y: number, c: readonly number[]) => p.set(c, (y * W + x) * 3);
    const darkBlue = [0, 0, 170] as const;
    dot(10, 10, darkBlue);
    dot(30, 15, [0, 0, 255]);
    dot(33, 15, [12, 9, 194]);
    expect(findMarker(p, W, H, darkBlue, [10, 10]).ghostPixels).toBe(1);
    expect(
      findMarker(p, W, H, darkBlue, [10, 10], undefined, undefined, [[30, 15]]).ghostPixels,
    ).toBe(0);
    // A copy far from every marker still counts.
    dot(20, 25, darkBlue);
    expect(
      findMarker(p, W, H, darkBlue, [10, 10], undefined, undefined, [[30, 15]]).ghostPixels,
    ).toBe(1);
  });

  it('a dot painted only on the character is found where it is, with no ghost', () => {
    const p = rgba();
    for (let x = 0; x < 10; x++) p[(10 * W + x) * 4 + 3] = 0; // transparent row piece
    const [red] = pickMarkerColours(p, 4, 1);
    expect(paintMarkers(p, W, H, [{ x: 20, y: 15, color: red! }])).toEqual([29]);
    const f = findMarker(toRgb(p), W, H, red!, [20, 15]);
    expect(f.error).toBeLessThan(1e-9);
    expect(f.ghostPixels).toBe(0);
    // Off by 2 px: error 2; a copy elsewhere: ghost pixels.
    expect(findMarker(toRgb(p), W, H, red!, [22, 15]).error).toBeCloseTo(2, 9);
    paintMarkers(p, W, H, [{ x: 4, y: 4, color: red! }]);
    expect(findMarker(toRgb(p), W, H, red!, [20, 15]).ghostPixels).toBeGreaterThan(10);
    expect(findMarker(toRgb(rgba()), W, H, red!, [20, 15]).error).toBe(Infinity);
  });
});
