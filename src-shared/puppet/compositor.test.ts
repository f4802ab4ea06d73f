import { describe, expect, it } from 'vitest';
import { compositePuppet, type PuppetPicture } from './compositor';

/** A 4×2 picture: pixel i has colour (10·i, 0, 255 − 10·i) premultiplied by alpha 1 (or 0.5). */
function picture(alpha = 1): PuppetPicture {
  const rgba = new Float32Array(4 * 2 * 4);
  for (let i = 0; i < 8; i++) rgba.set([10 * i * alpha, 0, (255 - 10 * i) * alpha, alpha], i * 4);
  return { width: 4, height: 2, rgba };
}
/** Normalized coordinate (align_corners = 1) of pixel position p on an axis of n pixels. */
const norm = (p: number, n: number) => (2 * p) / (n - 1) - 1;

/** One 1×1 cell (stride 1) at (0,0) of a 2×2 frame filled with grey 100: the pixel's RGB. */
function one(
  source: [number, number] | null,
  gate: number,
  opts: { sampling?: 'bilinear' | 'nearest'; pic?: PuppetPicture } = {},
) {
  const frame = new Uint8Array(2 * 2 * 3).fill(100);
  const grid = new Float32Array(source ?? [0, 0]);
  compositePuppet(
    frame,
    2,
    opts.pic ?? picture(),
    grid,
    new Float32Array([gate]),
    new BigInt64Array([0n]),
    { x0: 0, y0: 0, x1: 2, y1: 2, stride: 1, cellsPerRow: 1 },
    opts.sampling ?? 'bilinear',
  );
  return [...frame.subarray(0, 3)];
}

describe('puppet compositor (GridSample semantics, align_corners = 1, zeros padding)', () => {
  it('samples a pixel centre exactly and interpolates between pixels', () => {
    expect(one([norm(2, 4), norm(0, 2)], 1)).toEqual([20, 0, 235]);
    // Half way between pixels 1 and 2 of row 1 (i = 5, 6): colour 55 / 200.
    expect(one([norm(1.5, 4), norm(1, 2)], 1)).toEqual([55, 0, 200]);
  });

  it('counts taps outside the picture as transparent black, so the edge fades to the plate', () => {
    // Half a pixel left of pixel 0: half of pixel 0 (alpha 0.5) over the plate (grey 100).
    // (−0.5 is not exact in float32 normalized coordinates: ±1 level.)
    one([norm(-0.5, 4), norm(0, 2)], 1).forEach((v, c) =>
      expect(Math.abs(v - [50, 50, 177.5][c]!)).toBeLessThanOrEqual(1),
    );
    expect(one([norm(-1, 4), norm(0, 2)], 1)).toEqual([100, 100, 100]);
  });

  it('draws with the gate and premultiplied colour over the plate, and skips closed pixels', () => {
    expect(one([norm(0, 4), norm(0, 2)], 0.5)).toEqual([50, 50, 178]);
    expect(one([norm(0, 4), norm(0, 2)], 0)).toEqual([100, 100, 100]);
    expect(one([norm(0, 4), norm(0, 2)], 1, { pic: picture(0.5) })).toEqual([50, 50, 178]);
  });

  it('nearest sampling rounds half to even, like std::nearbyint', () => {
    expect(one([norm(0.5, 4), norm(0, 2)], 1, { sampling: 'nearest' })).toEqual([0, 0, 255]);
    expect(one([norm(1.5, 4), norm(0, 2)], 1, { sampling: 'nearest' })).toEqual([20, 0, 235]);
    expect(one([norm(1.4, 4), norm(0, 2)], 1, { sampling: 'nearest' })).toEqual([10, 0, 245]);
  });

  it('draws a seam cell front over back, and nothing outside the crop', () => {
    const frame = new Uint8Array(2 * 2 * 3).fill(100);
    // Cells: smooth cell 1 (pixel (1,0)), seam cell 2 (pixel (0,1)); rows: smooth, seam front, seam back.
    const grid = new Float32Array([
      norm(3, 4),
      norm(1, 2), // smooth: pixel i = 7
      norm(0, 4),
      norm(0, 2), // seam front: pixel 0, gate 0.5 below
      norm(1, 4),
      norm(0, 2), // seam back: pixel 1
    ]);
    compositePuppet(
      frame,
      2,
      picture(),
      grid,
      new Float32Array([1, 0.5, 1]),
      new BigInt64Array([1n, 2n]),
      { x0: 0, y0: 0, x1: 2, y1: 2, stride: 1, cellsPerRow: 2 },
      'bilinear',
    );
    expect([...frame.subarray(3, 6)]).toEqual([70, 0, 185]);
    // Front (0,0,255)·0.5 over back (10,0,245): (5, 0, 250).
    expect([...frame.subarray(6, 9)]).toEqual([5, 0, 250]);
    expect([...frame.subarray(0, 3)]).toEqual([100, 100, 100]);
    expect([...frame.subarray(9, 12)]).toEqual([100, 100, 100]);

    const clipped = new Uint8Array(2 * 2 * 3).fill(100);
    compositePuppet(
      clipped,
      2,
      picture(),
      grid.subarray(0, 2),
      new Float32Array([1]),
      new BigInt64Array([1n]),
      { x0: 0, y0: 0, x1: 1, y1: 2, stride: 1, cellsPerRow: 2 },
      'bilinear',
    );
    expect([...clipped]).toEqual(new Array(12).fill(100));
  });

  it('refuses a grid that does not match its cells', () => {
    expect(() =>
      compositePuppet(
        new Uint8Array(12),
        2,
        picture(),
        new Float32Array(2),
        new Float32Array(1),
        new BigInt64Array([0n, 1n]),
        { x0: 0, y0: 0, x1: 2, y1: 2, stride: 1, cellsPerRow: 2 },
        'bilinear',
      ),
    ).toThrow(/rows of pixels/);
  });

  it('takes colour only from picture pixels the drawing parts own, unless their owner moved here too', () => {
    // Pixels 0–3 (row 0) belong to part 0, pixels 4–7 (row 1) to part 1.
    const owned = { ...picture(), owners: new Uint16Array([1, 1, 1, 1, 2, 2, 2, 2]) };
    const still = [1, 0, 0, 1, 0, 0];
    const away = [1, 0, 0, 1, 50, 0]; // the part's pixels go 50 px to the right
    const draw = (
      source: [number, number],
      parts: number,
      forward: number[],
      sampling: 'bilinear' | 'nearest' = 'bilinear',
    ) => {
      const frame = new Uint8Array(2 * 2 * 3).fill(100);
      compositePuppet(
        frame,
        2,
        owned,
        new Float32Array(source),
        new Float32Array([1]),
        new BigInt64Array([0n]),
        { x0: 0, y0: 0, x1: 2, y1: 2, stride: 1, cellsPerRow: 1 },
        sampling,
        { parts: new Float32Array([parts]), forward },
      );
      return [...frame.subarray(0, 3)];
    };
    const pixel0: [number, number] = [norm(0, 4), norm(0, 2)];
    // Part 0 draws its own pixel; part 1 may not, since part 0 puts that pixel elsewhere…
    expect(draw(pixel0, 1, [...away, ...away])).toEqual([0, 0, 255]);
    expect(draw(pixel0, 2, [...away, ...away])).toEqual([100, 100, 100]);
    // …but where part 0 puts it right here (the reference pose), any part may draw it.
    expect(draw(pixel0, 2, [...still, ...away])).toEqual([0, 0, 255]);
    // Between the rows part 0 takes only its own half (alpha 0.5 over the plate); both parts: all.
    const between: [number, number] = [norm(0, 4), norm(0.5, 2)];
    expect(draw(between, 1, [...away, ...away])).toEqual([50, 50, 178]);
    expect(draw(between, 3, [...away, ...away])).toEqual([20, 0, 235]);
    const pixel4: [number, number] = [norm(0, 4), norm(1, 2)];
    expect(draw(pixel4, 1, [...away, ...away], 'nearest')).toEqual([100, 100, 100]);
    expect(draw(pixel4, 2, [...away, ...away], 'nearest')).toEqual([40, 0, 215]);
  });
});
