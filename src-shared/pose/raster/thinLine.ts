import type { RgbImage } from '#shared/image/rgbImage';
import { clipLine } from './clipLine';
import { XY_ONE, idiv, putPixel, shr16 } from './paint';

// One-pixel lines (OpenCV's `Line` and `Line2`): the outlines fillConvexPoly strokes. Thick lines
// (line.ts) are polygons filled by fillConvexPoly, so the thin walkers live apart from them.

const seg = new Float64Array(4);

/**
 * OpenCV's 8-connected integer line (`Line` via `LineIterator`, left to right, clipped to the
 * image first): the outline that `fillConvexPoly` strokes around every polygon.
 */
export function line8(
  img: RgbImage,
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  r: number,
  g: number,
  b: number,
): void {
  const w = img.width;
  const h = img.height;
  if (x1 < 0 || x1 >= w || x2 < 0 || x2 >= w || y1 < 0 || y1 >= h || y2 < 0 || y2 >= h) {
    seg[0] = x1;
    seg[1] = y1;
    seg[2] = x2;
    seg[3] = y2;
    if (!clipLine(w, h, seg)) return;
    x1 = seg[0]!;
    y1 = seg[1]!;
    x2 = seg[2]!;
    y2 = seg[3]!;
  }
  let dx = x2 - x1;
  let dy = y2 - y1;
  if (dx < 0) {
    // left to right: start from the left end
    dx = -dx;
    dy = -dy;
    x1 = x2;
    y1 = y2;
  }
  let sy = 1;
  if (dy < 0) {
    dy = -dy;
    sy = -1;
  }
  // major axis advances every step, minor axis when the error goes negative
  const vert = dy > dx;
  let majorX = 1;
  let majorY = 0;
  let minorX = 0;
  let minorY = sy;
  if (vert) {
    const t = dx;
    dx = dy;
    dy = t;
    majorX = 0;
    majorY = sy;
    minorX = 1;
    minorY = 0;
  }
  let err = dx - (dy + dy);
  const plusDelta = dx + dx;
  const minusDelta = -(dy + dy);
  const count = dx + 1;
  let x = x1;
  let y = y1;
  const d = img.data;
  for (let i = 0; i < count; i++) {
    const o = (y * w + x) * 3;
    d[o] = r;
    d[o + 1] = g;
    d[o + 2] = b;
    if (err < 0) {
      err += minusDelta + plusDelta;
      x += majorX + minorX;
      y += majorY + minorY;
    } else {
      err += minusDelta;
      x += majorX;
      y += majorY;
    }
  }
}

/**
 * OpenCV's `Line2`: the outline of a polygon whose vertices carry 16 fractional bits (used for
 * thick lines). Arguments are 16.16 fixed-point values held in doubles.
 */
export function line2(
  img: RgbImage,
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  r: number,
  g: number,
  b: number,
): void {
  seg[0] = x1;
  seg[1] = y1;
  seg[2] = x2;
  seg[3] = y2;
  if (!clipLine(img.width * XY_ONE, img.height * XY_ONE, seg)) return;
  x1 = seg[0]!;
  y1 = seg[1]!;
  x2 = seg[2]!;
  y2 = seg[3]!;
  const dx = x2 - x1;
  const dy = y2 - y1;
  const ax = Math.abs(dx);
  const ay = Math.abs(dy);
  let ecount: number;
  let xStep: number;
  let yStep: number;
  if (ax > ay) {
    if (dx < 0) {
      // walk from the left end
      let t = x1;
      x1 = x2;
      x2 = t;
      t = y1;
      y1 = y2;
      y2 = t;
    }
    const ddy = dx < 0 ? -dy : dy;
    xStep = XY_ONE;
    yStep = idiv(ddy * XY_ONE, orOne(ax));
    x2 += XY_ONE;
    ecount = shr16(x2) - shr16(x1);
  } else {
    if (dy < 0) {
      let t = x1;
      x1 = x2;
      x2 = t;
      t = y1;
      y1 = y2;
      y2 = t;
    }
    const ddx = dy < 0 ? -dx : dx;
    xStep = idiv(ddx * XY_ONE, orOne(ay));
    yStep = XY_ONE;
    y2 += XY_ONE;
    ecount = shr16(y2) - shr16(y1);
  }
  x1 += XY_ONE >> 1;
  y1 += XY_ONE >> 1;
  putPixel(img, shr16(x2 + (XY_ONE >> 1)), shr16(y2 + (XY_ONE >> 1)), r, g, b);
  if (ax > ay) {
    let px = shr16(x1);
    while (ecount >= 0) {
      putPixel(img, px, shr16(y1), r, g, b);
      px++;
      y1 += yStep;
      ecount--;
    }
  } else {
    let py = shr16(y1);
    while (ecount >= 0) {
      putPixel(img, shr16(x1), py, r, g, b);
      x1 += xStep;
      py++;
      ecount--;
    }
  }
}

/** `v | 1` for a non-negative integer-valued double that may exceed 32 bits. */
function orOne(v: number): number {
  return v % 2 === 0 ? v + 1 : v;
}
