import { describe, expect, it } from 'vitest';
import { scanTriangle } from './scanline';

/** How many times each pixel of a w×h grid is covered by the triangles (flat x, y triples). */
function coverage(tris: number[][], w: number, h: number): Uint8Array {
  const count = new Uint8Array(w * h);
  const spans = new Int32Array(3 * h);
  for (const [ax, ay, bx, by, cx, cy] of tris) {
    const rows = scanTriangle(ax!, ay!, bx!, by!, cx!, cy!, w, h, spans);
    for (let r = 0; r < rows; r++)
      for (let x = spans[3 * r + 1]!; x < spans[3 * r + 2]!; x++) count[spans[3 * r]! * w + x]!++;
  }
  return count;
}

describe('scanTriangle', () => {
  it('splits the pixels of triangles sharing edges exactly: a fan around an off-grid point', () => {
    // Eight triangles around (9.3, 7.6) tiling the square [1, 17] × [1, 15].
    const c = [9.3, 7.6];
    const ring = [
      [1, 1],
      [9, 1],
      [17, 1],
      [17, 8],
      [17, 15],
      [9, 15],
      [1, 15],
      [1, 8],
    ];
    const tris = ring.map((p, i) => [...p, ...ring[(i + 1) % ring.length]!, ...c]);
    const count = coverage(tris, 20, 20);
    for (let y = 0; y < 20; y++)
      for (let x = 0; x < 20; x++)
        // Pixel centres in [1, 17) × [1, 15) are inside the square: covered exactly once.
        expect(count[y * 20 + x], `(${x}, ${y})`).toBe(
          x >= 1 && x < 17 && y >= 1 && y < 15 ? 1 : 0,
        );
  });

  it('clips to the picture and writes nothing for a flat or NaN triangle', () => {
    const spans = new Int32Array(3 * 4);
    const rows = scanTriangle(-5, -5, 30, -5, -5, 30, 4, 4, spans);
    expect(rows).toBe(4);
    for (let r = 0; r < rows; r++) {
      expect(spans[3 * r]).toBe(r);
      expect(spans[3 * r + 1]).toBe(0);
      expect(spans[3 * r + 2]).toBe(4);
    }
    expect(scanTriangle(0, 1, 3, 1, 2, 1, 4, 4, spans)).toBe(0);
    expect(scanTriangle(0, Number.NaN, 3, 1, 2, 3, 4, 4, spans)).toBe(0);
  });
});
