import { describe, expect, it } from 'vitest';
import { createRgbImage } from '#shared/image/rgbImage';
import { fitCanvas, fitFrame } from './fitFrame';

describe('fitFrame', () => {
  it('returns the same frame when sizes match', () => {
    const f = createRgbImage(4, 4);
    expect(fitFrame(f, 4, 4)).toBe(f);
  });

  it('scales with the aspect kept and letterboxes on black', () => {
    const f = createRgbImage(4, 2);
    f.data.fill(200);
    const out = fitFrame(f, 8, 8);
    expect(out.width).toBe(8);
    // rows 2..5 hold the picture, rows 0..1 and 6..7 are black
    expect(out.data[(0 * 8 + 4) * 3]).toBe(0);
    expect(out.data[(3 * 8 + 4) * 3]).toBe(200);
    expect(out.data[(7 * 8 + 4) * 3]).toBe(0);
  });
});

describe('fitCanvas', () => {
  it('returns the same points when the canvases match', () => {
    const p = new Float64Array([1, 2, 1]);
    expect(fitCanvas(p, { width: 4, height: 2 }, { width: 4, height: 2 })).toBe(p);
  });

  it('puts poses where fitFrame puts the picture: scaled, centred, confidence kept', () => {
    // A 4×2 canvas in 8×8: fitFrame fills rows 2..5, so the canvas corners land on y = 2 and 6.
    const p = new Float64Array([0, 0, 0.5, 4, 2, 1, 2, 1, 0]);
    const out = fitCanvas(p, { width: 4, height: 2 }, { width: 8, height: 8 });
    expect(Array.from(out)).toEqual([0, 2, 0.5, 8, 6, 1, 4, 4, 0]);
  });
});

describe('fitFrame into the even output of an odd picture', () => {
  it('fills the whole frame: no black line where one pixel column was dropped', () => {
    const src = createRgbImage(153, 192);
    src.data.fill(200);
    const out = fitFrame(src, 152, 192);
    expect([out.width, out.height]).toEqual([152, 192]);
    expect(out.data.every((v) => v === 200)).toBe(true);
  });
});

describe('fitFrame with an alpha plane', () => {
  it('scales the alpha with the colour and leaves the letterbox transparent', () => {
    const src = createRgbImage(10, 20);
    src.data.fill(255);
    src.alpha = new Uint8Array(200).fill(255);
    const out = fitFrame(src, 40, 40);
    expect(out.alpha).toHaveLength(1600);
    // 20×40 picture centred: columns 0–9 and 30–39 are letterbox.
    expect(out.alpha![20 * 40 + 5]).toBe(0);
    expect(out.alpha![20 * 40 + 20]).toBe(255);
    expect(out.alpha![20 * 40 + 35]).toBe(0);
  });
});
