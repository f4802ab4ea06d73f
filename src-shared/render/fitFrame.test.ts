import { describe, expect, it } from 'vitest';
import { createRgbImage } from '#shared/image/rgbImage';
import { fitFrame } from './fitFrame';

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
