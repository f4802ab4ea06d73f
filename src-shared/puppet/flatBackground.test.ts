import { describe, expect, it } from 'vitest';
import { LEAK_GROWTH, maskFromUniformBackground, outlineGapRadius } from './flatBackground';
import { countSet, type Rgba } from './mask';

const PAPER: [number, number, number] = [236, 234, 228];
const CRAYON: [number, number, number] = [220, 120, 150];

function picture(
  w: number,
  h: number,
  fill: (x: number, y: number) => [number, number, number],
): Rgba {
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) data.set([...fill(x, y), 255], (y * w + x) * 4);
  return { width: w, height: h, data };
}

/** A crayon circle (radius 30, line 2 px) on paper, open over `gap` px at its right. */
function outlinedDisc(gap: number): Rgba {
  return picture(100, 100, (x, y) => {
    const d = Math.hypot(x - 50, y - 50);
    const inGap = x > 70 && Math.abs(y - 50) < gap / 2;
    return d >= 29 && d < 31 && !inGap ? CRAYON : PAPER;
  });
}

describe('maskFromUniformBackground', () => {
  it('closes a gap in a drawn outline: the body inside is the character, not paper', () => {
    const m = maskFromUniformBackground(outlinedDisc(4))!;
    // The whole disc (π·31² ≈ 3019 px) less what the gap's mouth leaves open.
    expect(countSet(m)).toBeGreaterThan(2800);
    expect(m[50 * 100 + 50]).toBe(1);
    expect(m[50 * 100 + 79]).toBe(1); // in the gap itself
    expect(m[5 * 100 + 5]).toBe(0);
  });

  it('without closing, the fill runs through the gap and keeps only the line', () => {
    const m = maskFromUniformBackground(outlinedDisc(4), 40, 0)!;
    expect(m[50 * 100 + 50]).toBe(0);
    expect(countSet(m)).toBeLessThan(400);
  });

  it('keeps every pixel of the outline, whatever it closes', () => {
    const img = outlinedDisc(4);
    const m = maskFromUniformBackground(img)!;
    for (let i = 0; i < m.length; i++) if (img.data[i * 4] === CRAYON[0]) expect(m[i]).toBe(1);
  });

  it('keeps the plain fill for a clean cut-out: a narrow gap between an arm and the body stays open', () => {
    // A solid body and an arm beside it, 4 px apart, the gap open at both ends.
    const img = picture(80, 80, (x, y) =>
      (x >= 20 && x < 40 && y >= 10 && y < 70) || (x >= 44 && x < 50 && y >= 20 && y < 50)
        ? CRAYON
        : PAPER,
    );
    const m = maskFromUniformBackground(img)!;
    expect(countSet(m)).toBe(20 * 60 + 6 * 30);
    expect(m[30 * 80 + 42]).toBe(0);
  });

  it('makes no closed fill when the caller says the plain one did not leak', () => {
    const seen: number[] = [];
    const m = maskFromUniformBackground(outlinedDisc(4), 40, undefined, (plain) => {
      seen.push(countSet(plain));
      return false;
    })!;
    expect(seen).toEqual([countSet(m)]);
    expect(m[50 * 100 + 50]).toBe(0);
  });

  it('takes the closed fill only when it is clearly larger than the plain one', () => {
    const plain = countSet(maskFromUniformBackground(outlinedDisc(4), 40, 0)!);
    const closed = countSet(maskFromUniformBackground(outlinedDisc(4))!);
    expect(closed).toBeGreaterThan(LEAK_GROWTH * plain);
  });

  it('survives the smallest pictures and a character touching the border', () => {
    expect(countSet(maskFromUniformBackground(picture(1, 1, () => PAPER))!)).toBe(0);
    // Feet cut off by the picture's bottom edge.
    const edge = picture(20, 20, (x, y) => (x >= 8 && x < 12 && y >= 10 ? CRAYON : PAPER));
    expect(countSet(maskFromUniformBackground(edge)!)).toBe(4 * 10);
    // All one colour: a flat border and nothing on it.
    expect(countSet(maskFromUniformBackground(picture(10, 10, () => CRAYON))!)).toBe(0);
    // A busy border: not a flat background.
    const busy = picture(10, 10, (x, y) => ((x + y) % 2 ? CRAYON : PAPER));
    expect(maskFromUniformBackground(busy)).toBeUndefined();
  });

  it('scales the closing with the picture', () => {
    expect(outlineGapRadius(257, 279)).toBe(4);
    expect(outlineGapRadius(2000, 1500)).toBe(13);
  });
});
