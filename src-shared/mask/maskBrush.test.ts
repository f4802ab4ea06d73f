import { describe, expect, it } from 'vitest';
import { maskArea, paintStroke } from './maskBrush';

const W = 40;
const H = 30;

describe('paintStroke', () => {
  it('adds a disc: pixels whose centres are within the radius, nothing else', () => {
    const m = new Uint8Array(W * H);
    const rect = paintStroke(m, W, H, { x: 10, y: 10 }, { x: 10, y: 10 }, 3, 1);
    // Area of a radius-3 disc ≈ 28 pixels; pixel centres give 32 here (symmetric about 10,10 ±0.5).
    expect(maskArea(m)).toBeGreaterThan(24);
    expect(maskArea(m)).toBeLessThan(36);
    expect(m[10 * W + 10]).toBe(1);
    expect(m[10 * W + 14]).toBe(0);
    expect(rect.x0).toBeLessThanOrEqual(7);
    expect(rect.x1).toBeGreaterThanOrEqual(13);
  });

  it('a fast stroke leaves no gap between its ends', () => {
    const m = new Uint8Array(W * H);
    paintStroke(m, W, H, { x: 2, y: 15 }, { x: 37, y: 15 }, 1, 1);
    for (let x = 2; x < 37; x++) expect(m[15 * W + x]).toBe(1);
  });

  it('erases what is painted, and only inside the brush', () => {
    const m = new Uint8Array(W * H).fill(1);
    paintStroke(m, W, H, { x: 20, y: 15 }, { x: 20, y: 15 }, 2, 0);
    expect(m[15 * W + 20]).toBe(0);
    expect(m[15 * W + 25]).toBe(1);
    expect(maskArea(m)).toBeGreaterThan(W * H - 20);
  });

  it('clips to the picture and ignores hostile points and radii', () => {
    const m = new Uint8Array(W * H);
    expect(paintStroke(m, W, H, { x: -50, y: -50 }, { x: -40, y: -40 }, 3, 1).x1).toBe(0);
    paintStroke(m, W, H, { x: NaN, y: 3 }, { x: 3, y: 3 }, 3, 1);
    paintStroke(m, W, H, { x: 3, y: 3 }, { x: 3, y: 3 }, -2, 1);
    paintStroke(m, W, H, { x: 3, y: 3 }, { x: 3, y: 3 }, Infinity, 1);
    expect(maskArea(m)).toBe(0);
    // A stroke to 1e308 paints its row to the picture's edge, nothing beyond.
    const row = paintStroke(m, W, H, { x: 3, y: 3.5 }, { x: 1e308, y: 3.5 }, 0.5, 1);
    expect(row).toEqual({ x0: 2, y0: 3, x1: W, y1: 5 });
    expect(maskArea(m)).toBe(W - 2); // pixel 2's centre is 0.5 from the start
    m.fill(0);
    // A huge brush at the corner fills the picture without writing outside it.
    const r = paintStroke(m, W, H, { x: 0, y: 0 }, { x: 0, y: 0 }, 1e6, 1);
    expect(maskArea(m)).toBe(W * H);
    expect(r).toEqual({ x0: 0, y0: 0, x1: W, y1: H });
  });
});
