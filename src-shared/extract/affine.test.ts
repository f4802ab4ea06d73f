import { describe, expect, it } from 'vitest';
import { letterbox, personCrop, toSource, warpToTensor } from './affine';

const gradient = (w: number, h: number) => {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      data[(y * w + x) * 3] = x;
      data[(y * w + x) * 3 + 1] = y;
      data[(y * w + x) * 3 + 2] = 7;
    }
  return { width: w, height: h, data };
};

describe('letterbox (YOLOX)', () => {
  it('scales by the smaller ratio, keeps the picture top-left and fills with 114', () => {
    const t = letterbox(320, 160, 640, 640);
    expect(t.scale).toBe(2);
    const out = warpToTensor(gradient(320, 160), t, {
      width: 640,
      height: 640,
      fill: 114,
      halfPixel: true,
    });
    const plane = 640 * 640;
    // Input pixel (101, 41) samples source (50.25, 20.25): x = 50.25, y = 20.25.
    expect(out[41 * 640 + 101]).toBeCloseTo(50.25, 4);
    expect(out[plane + 41 * 640 + 101]).toBeCloseTo(20.25, 4);
    expect(out[2 * plane + 41 * 640 + 101]).toBeCloseTo(7, 4);
    // Below the picture (rows ≥ 320): grey padding.
    expect(out[400 * 640 + 10]).toBe(114);
    expect(out[plane + 639 * 640 + 639]).toBe(114);
  });
});

describe('personCrop (top-down affine of the reference)', () => {
  it('pads the box by 1.25 and fixes the aspect to the model input', () => {
    const c = personCrop([100, 40, 180, 220], 288, 384);
    expect(c.centerX).toBe(140);
    expect(c.centerY).toBe(130);
    // h = 225 governs: w = 225 × 0.75 = 168.75.
    expect(c.scaleH).toBe(225);
    expect(c.scaleW).toBeCloseTo(168.75, 10);
    expect(toSource(c, 144, 192)).toEqual([140, 130]);
    const [x0, y0] = toSource(c, 0, 0);
    expect(x0).toBeCloseTo(55.625, 10);
    expect(y0).toBeCloseTo(17.5, 10);
  });

  it('widens a wide box vertically instead', () => {
    const c = personCrop([0, 0, 400, 100], 288, 384);
    expect(c.scaleW).toBe(500);
    expect(c.scaleH).toBeCloseTo(500 / 0.75, 10);
  });

  it('samples corners without the half-pixel shift and normalises with mean/std', () => {
    const img = gradient(64, 64);
    const c = { scale: 1, srcX0: 10, srcY0: 20 };
    const out = warpToTensor(img, c, {
      width: 4,
      height: 4,
      fill: 0,
      mean: [1, 2, 3],
      std: [2, 2, 2],
      halfPixel: false,
    });
    expect(out[0]).toBe((10 - 1) / 2);
    expect(out[16]).toBe((20 - 2) / 2);
    expect(out[1 * 4 + 3]).toBe((13 - 1) / 2);
  });
});
