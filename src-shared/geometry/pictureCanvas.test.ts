import { describe, expect, it } from 'vitest';
import {
  MAX_SIDE,
  canvasToPicture,
  pictureToCanvas,
  placePicture,
  usableSize,
} from './pictureCanvas';

const pts = (...xyc: number[]) => new Float64Array(xyc);

describe('placePicture: the picture fitted into the canvas, aspect kept, centred', () => {
  it('letterboxes a tall photo in a square canvas (bars left and right)', () => {
    // The SPIN photo, 153×192, on the sample's 512×512 canvas.
    const p = placePicture({ width: 153, height: 192 }, { width: 512, height: 512 })!;
    expect(p.scale).toBeCloseTo(512 / 192, 12);
    expect(p.height).toBeCloseTo(512, 9);
    expect(p.width).toBeCloseTo(153 * (512 / 192), 9);
    expect(p.y).toBeCloseTo(0, 9);
    expect(p.x).toBeCloseTo((512 - p.width) / 2, 9);
  });

  it('letterboxes a wide photo (bars above and below) and keeps the aspect', () => {
    const p = placePicture({ width: 640, height: 425 }, { width: 512, height: 512 })!;
    expect(p.width).toBeCloseTo(512, 9);
    expect(p.width / p.height).toBeCloseTo(640 / 425, 12);
    expect(p.x).toBe(0);
    expect(p.y).toBeGreaterThan(0);
  });

  it('is the identity for a picture the size of the canvas', () => {
    expect(placePicture({ width: 512, height: 512 }, { width: 512, height: 512 })).toEqual({
      scale: 1,
      x: 0,
      y: 0,
      width: 512,
      height: 512,
    });
  });

  it.each([
    ['zero', { width: 0, height: 100 }],
    ['negative', { width: -5, height: 100 }],
    ['NaN', { width: NaN, height: 100 }],
    ['Infinity', { width: Infinity, height: 100 }],
    ['1e308', { width: 1e308, height: 1e308 }],
    ['above MAX_SIDE', { width: MAX_SIDE + 1, height: 10 }],
    ['below one pixel', { width: 0.5, height: 10 }],
  ])('refuses a %s size on either side', (_, bad) => {
    const ok = { width: 512, height: 512 };
    expect(placePicture(bad, ok)).toBeNull();
    expect(placePicture(ok, bad)).toBeNull();
    expect(usableSize(bad)).toBe(false);
  });

  it('places one-pixel and extreme-aspect pictures with finite numbers', () => {
    const one = placePicture({ width: 1, height: 1 }, { width: 512, height: 288 })!;
    expect(one).toEqual({ scale: 288, x: 112, y: 0, width: 288, height: 288 });
    const strip = placePicture({ width: MAX_SIDE, height: 1 }, { width: 512, height: 512 })!;
    expect(strip.width).toBeCloseTo(512, 9);
    expect(strip.height).toBeCloseTo(512 / MAX_SIDE, 12);
    expect(strip.y).toBeCloseTo(256 - strip.height / 2, 9);
    const pole = placePicture({ width: 1, height: MAX_SIDE }, { width: MAX_SIDE, height: 1 })!;
    for (const v of Object.values(pole)) expect(Number.isFinite(v)).toBe(true);
    expect(pole.height).toBeCloseTo(1, 12);
  });
});

describe('pictureToCanvas / canvasToPicture', () => {
  const placement = placePicture({ width: 153, height: 192 }, { width: 512, height: 512 });

  it('puts the picture corners on the placed rectangle and keeps confidences', () => {
    const out = pictureToCanvas(pts(0, 0, 0.5, 153, 192, 1), placement);
    expect(out[0]).toBeCloseTo(placement!.x, 9);
    expect(out[1]).toBeCloseTo(0, 9);
    expect(out[2]).toBe(0.5);
    expect(out[3]).toBeCloseTo(placement!.x + placement!.width, 9);
    expect(out[4]).toBeCloseTo(512, 9);
    expect(out[5]).toBe(1);
  });

  it('round-trips: canvas → picture → canvas gives the points back', () => {
    const p = pts(10, 20, 1, 76.5, 96, 0.3, 152, 191, 1, 0, 0, 0);
    const back = canvasToPicture(pictureToCanvas(p, placement), placement);
    for (let i = 0; i < p.length; i++) expect(back[i]).toBeCloseTo(p[i]!, 9);
  });

  it('keeps the picture centre on the canvas centre', () => {
    const c = pictureToCanvas(pts(76.5, 96, 1), placement);
    expect(c[0]).toBeCloseTo(256, 9);
    expect(c[1]).toBeCloseTo(256, 9);
  });

  it('hands the points back unchanged when there is no placement or nothing to change', () => {
    const p = pts(1, 2, 1);
    expect(pictureToCanvas(p, null)).toBe(p);
    expect(canvasToPicture(p, null)).toBe(p);
    const same = placePicture({ width: 9, height: 9 }, { width: 9, height: 9 });
    expect(pictureToCanvas(p, same)).toBe(p);
  });

  it('leaves NaN points NaN and ignores a trailing partial triple', () => {
    const out = pictureToCanvas(pts(NaN, 5, 1, 7), placement);
    expect(out).toHaveLength(4);
    expect(Number.isNaN(out[0])).toBe(true);
    expect(out[3]).toBe(0);
  });
});
