import { describe, expect, it } from 'vitest';
import { unmixEdge, unmixEdgePixel } from './edgeDecontamination';

const SKY = [200, 225, 255];
const RED = [200, 30, 30];
const mix = (a: number) => SKY.map((s, k) => a * RED[k]! + (1 - a) * s);
const unmix = (c: number[], f = RED, b = SKY) => {
  const out = [0, 0, 0, 0];
  unmixEdgePixel(c, f, b, out);
  return out;
};
/** The composite over the plate the pixel was unmixed from: premultiplied + (1 − α)·B. */
const over = (out: number[], b = SKY) => b.map((v, k) => out[k]! + (1 - out[3]!) * v);

describe('edge decontamination (unmixing an edge pixel from the background plate)', () => {
  it('keeps only the character part of a mixed edge pixel', () => {
    const out = unmix(mix(0.3));
    expect(out[3]).toBeCloseTo(0.3, 5);
    RED.forEach((v, k) => expect(out[k]).toBeCloseTo(0.3 * v, 3));
  });

  it('gives a pure background pixel alpha 0 and a pure character pixel alpha 1', () => {
    expect(unmix(SKY)).toEqual([0, 0, 0, 0]);
    expect(unmix(RED)).toEqual([...RED, 1]);
  });

  it('gives any pixel back exactly over its own plate, even one off the background→character line', () => {
    for (const c of [mix(0.5), [10, 10, 10], [255, 255, 255], [0, 225, 255], [201, 120, 40]]) {
      const out = unmix(c);
      expect(out[3]).toBeGreaterThanOrEqual(0);
      expect(out[3]).toBeLessThanOrEqual(1);
      for (let k = 0; k < 3; k++) {
        expect(out[k]).toBeGreaterThanOrEqual(0);
        expect(out[k]).toBeLessThanOrEqual(255 * out[3]! + 1e-9);
      }
      over(out).forEach((v, k) => expect(v).toBeCloseTo(c[k]!, 6));
    }
  });

  it('draws a pixel opaque when character and background have the same colour', () => {
    expect(unmix([100, 100, 104], [100, 100, 100], [102, 100, 100])).toEqual([100, 100, 104, 1]);
  });

  it('unmixes the mask edge and the ring around it, not the interior', () => {
    // A 7×7 picture: a red 3×3 mask in the sky, its edge pixels half red, the ring 20% red.
    const W = 7;
    const picture = new Uint8Array(W * W * 4);
    const mask = new Uint8Array(W * W);
    const layer = new Uint8Array(W * W);
    const plate = new Uint8Array(W * W * 3);
    for (let y = 0; y < W; y++)
      for (let x = 0; x < W; x++) {
        const i = y * W + x;
        const d = Math.max(Math.abs(x - 3), Math.abs(y - 3));
        const a = d <= 1 ? (d === 0 ? 1 : 0.5) : d === 2 ? 0.2 : 0;
        picture.set([...mix(a).map(Math.round), 255], i * 4);
        plate.set(SKY, i * 3);
        mask[i] = d <= 1 ? 1 : 0;
        layer[i] = d <= 2 ? 1 : 0;
      }
    const rgba = new Float32Array(W * W * 4);
    for (let i = 0; i < W * W; i++)
      if (layer[i]) rgba.set([picture[i * 4]!, picture[i * 4 + 1]!, picture[i * 4 + 2]!, 1], i * 4);
    unmixEdge(rgba, picture, mask, layer, plate, W, W);
    const alpha = (x: number, y: number) => rgba[(y * W + x) * 4 + 3]!;
    expect(alpha(3, 3)).toBe(1); // interior, untouched
    expect(alpha(2, 3)).toBeCloseTo(0.5, 1); // mask edge
    expect(alpha(1, 3)).toBeCloseTo(0.2, 1); // ring
    expect(alpha(0, 3)).toBe(0); // outside the layer, untouched
  });
});
