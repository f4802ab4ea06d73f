import { describe, expect, it } from 'vitest';
import { Joint } from '#shared/pose/skeleton';
import { emptyPoints, setPoint } from '#shared/pose/types';
import { MAX_INK_SHARE, maskFromDrawnInk } from './drawnInk';
import { maskFromUniformBackground } from './flatBackground';
import { countSet, type Rgba } from './mask';
import { maskIoU } from './maskRefine';

const W = 200;
const H = 200;

/**
 * A phone photo of a drawing: the paper fills the frame but for the table along the top, a shadow
 * lies over its left half, and a pen circle (radius 50) has a gap.
 */
function photographedCircle(): { img: Rgba; truth: Uint8Array } {
  const data = new Uint8Array(W * H * 4);
  const truth = new Uint8Array(W * H);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const onPaper = y > 12;
      let v = onPaper ? 230 : 60;
      if (onPaper && x < 90) v -= 70; // the shadow
      // Paper grain.
      v += ((x * 7919 + y * 104729) % 9) - 4;
      const d = Math.hypot(x - 100, y - 100);
      const pen = d >= 49 && d < 52 && !(x > 140 && Math.abs(y - 100) < 3);
      const rgb = pen ? [60, 50, 140] : [v, v, v - 6];
      data.set([...rgb, 255], (y * W + x) * 4);
      truth[y * W + x] = d < 52 ? 1 : 0;
    }
  return { img: { width: W, height: H, data }, truth };
}

function circlePose() {
  const ref = emptyPoints();
  setPoint(ref, Joint.neck, 100, 60);
  setPoint(ref, Joint.rHip, 80, 140);
  setPoint(ref, Joint.lHip, 120, 140);
  setPoint(ref, Joint.rShoulder, 70, 75);
  setPoint(ref, Joint.lShoulder, 130, 75);
  return ref;
}

describe('maskFromDrawnInk', () => {
  it('finds a drawing on shaded paper with a table around it, where the flood fill cannot', () => {
    const { img, truth } = photographedCircle();
    expect(maskFromUniformBackground(img)).toBeUndefined();
    const m = maskFromDrawnInk(img, circlePose())!;
    expect(maskIoU(m, truth)).toBeGreaterThan(0.9);
    // The shadow's edge and the table are not the character.
    expect(m[100 * W + 30]).toBe(0);
    expect(m[3 * W + 100]).toBe(0);
  });

  it('gives up on a busy picture (a photo’s texture is not lines on paper)', () => {
    const data = new Uint8Array(W * H * 4);
    let seed = 7;
    for (let i = 0; i < W * H; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const v = seed >>> 24;
      data.set([v, v, v, 255], i * 4);
    }
    expect(maskFromDrawnInk({ width: W, height: H, data }, circlePose())).toBeUndefined();
    expect(MAX_INK_SHARE).toBeLessThan(0.25);
  });

  it('needs joints in the picture and a box big enough to say', () => {
    const { img } = photographedCircle();
    expect(maskFromDrawnInk(img, emptyPoints())).toBeUndefined();
    const one = emptyPoints();
    setPoint(one, Joint.neck, 100, 100);
    expect(maskFromDrawnInk(img, one)).toBeUndefined();
    const outside = emptyPoints();
    setPoint(outside, Joint.neck, 5000, 5000);
    setPoint(outside, Joint.rHip, 6000, 6000);
    expect(maskFromDrawnInk(img, outside)).toBeUndefined();
    const nan = emptyPoints();
    setPoint(nan, Joint.neck, Number.NaN, 10);
    setPoint(nan, Joint.rHip, 1e308, 10);
    expect(() => maskFromDrawnInk(img, nan)).not.toThrow();
  });

  it('averages a large photo down before looking for ink (paper grain is not ink)', () => {
    const big = 1200;
    const data = new Uint8Array(big * big * 4);
    for (let y = 0; y < big; y++)
      for (let x = 0; x < big; x++) {
        const grain = (x + y) % 2 ? 12 : -12;
        const d = Math.hypot(x - 600, y - 600);
        const v = d >= 296 && d < 310 ? 70 : 225 + grain;
        data.set([v, v, v, 255], (y * big + x) * 4);
      }
    const ref = emptyPoints();
    setPoint(ref, Joint.neck, 600, 380);
    setPoint(ref, Joint.rShoulder, 330, 450);
    setPoint(ref, Joint.lShoulder, 870, 450);
    setPoint(ref, Joint.rHip, 480, 820);
    setPoint(ref, Joint.lHip, 720, 820);
    const m = maskFromDrawnInk({ width: big, height: big, data }, ref)!;
    const disc = Math.PI * 310 * 310;
    expect(countSet(m)).toBeGreaterThan(0.93 * disc);
    expect(countSet(m)).toBeLessThan(1.07 * disc);
  });
});
