import { describe, expect, it } from 'vitest';
import { dropHiddenIslands } from './hiddenIslands';

// A 40×20 texture box at (10, 5) of a 60×40 picture. The part's own pixels: columns 0–9 of the
// box. The hidden triangles: two covering the box's columns 10–39 (picture x 20–50).
const W = 40;
const H = 20;
const box = [10, 5, W, H] as const;
const picture = { width: 60, height: 40 };
const points = [20, 5, 50, 5, 50, 25, 20, 25];
const triangles = [0, 1, 2, 0, 2, 3];

function setup() {
  const own = new Uint8Array(W * H);
  const tex = new Float32Array(W * H * 4);
  const paint = (x0: number, y0: number, x1: number, y1: number, a = 1) => {
    for (let y = y0; y < y1; y++)
      for (let x = x0; x < x1; x++) tex.set([100 * a, 80 * a, 60 * a, a], (y * W + x) * 4);
  };
  for (let y = 0; y < H; y++)
    for (let x = 0; x < 10; x++) {
      own[y * W + x] = 1;
      paint(x, y, x + 1, y + 1);
    }
  return { own, tex, paint };
}
const alphaAt = (tex: Float32Array, x: number, y: number) => tex[(y * W + x) * 4 + 3]!;

describe('specks of a hidden area', () => {
  it('clears a speck apart from the part with its soft rim, keeps what joins the part', () => {
    const { own, tex, paint } = setup();
    paint(10, 0, 20, 20); // the hidden area proper, joined to the part's own pixels
    paint(24, 8, 27, 10); // a 6-pixel speck, 4 px away
    paint(23, 8, 24, 10, 0.3); // its soft edge
    const cleared = dropHiddenIslands(tex, own, box, points, triangles, [0, 1], picture);
    expect(cleared).toBe(8);
    expect(alphaAt(tex, 25, 9)).toBe(0);
    expect(alphaAt(tex, 23, 9)).toBe(0);
    expect(alphaAt(tex, 15, 9)).toBe(1);
    expect(alphaAt(tex, 5, 9)).toBe(1);
  });

  it('a speck joined to the part only diagonally or through faint pixels still goes', () => {
    const { own, tex, paint } = setup();
    paint(10, 0, 11, 1); // one hidden pixel joined to the part
    paint(11, 1, 13, 3); // touching it only at a corner
    paint(15, 0, 17, 2);
    paint(11, 0, 15, 1, 0.2); // joined to the first through faint pixels only
    dropHiddenIslands(tex, own, box, points, triangles, [0, 1], picture);
    expect(alphaAt(tex, 10, 0)).toBe(1);
    expect(alphaAt(tex, 12, 2)).toBe(0);
    expect(alphaAt(tex, 16, 1)).toBe(0);
  });

  it('leaves a large piece apart from the part (a hole would be worse than a wrong piece)', () => {
    const { own, tex, paint } = setup();
    paint(20, 2, 30, 12); // 100 px: more than 16 px and 2% of the 600-pixel hidden area
    expect(dropHiddenIslands(tex, own, box, points, triangles, [0, 1], picture)).toBe(0);
    expect(alphaAt(tex, 25, 6)).toBe(1);
  });

  it('leaves the texture outside the hidden triangles alone', () => {
    const { own, tex, paint } = setup();
    paint(24, 8, 27, 10);
    // Only the triangle over the box's upper right: (20,5)-(50,5)-(50,25) in the picture.
    dropHiddenIslands(tex, own, box, points, triangles, [0], picture);
    expect(alphaAt(tex, 25, 9)).toBe(0); // inside triangle 0 (above its diagonal)
    const { own: own2, tex: tex2, paint: paint2 } = setup();
    paint2(11, 15, 13, 18); // below the diagonal: triangle 1's
    dropHiddenIslands(tex2, own2, box, points, triangles, [0], picture);
    expect(alphaAt(tex2, 12, 16)).toBe(1);
  });
});
