import type { RgbImage } from '#shared/image/rgbImage';

/**
 * Small helpers shared by the OpenCV-compatible scan converters in this folder. Coordinates that
 * OpenCV keeps as int64 fixed point (16 fractional bits) are held in JS doubles: every value used
 * here stays far below 2^53, so integer arithmetic on them is exact.
 */

/** OpenCV's fixed-point precision for sub-pixel drawing (XY_SHIFT). */
export const XY_SHIFT = 16;
export const XY_ONE = 65536;

/** Arithmetic right shift by 16 of an integer-valued double (floor division, like int64 >>). */
export function shr16(v: number): number {
  return Math.floor(v / XY_ONE);
}

/** C integer division (truncates toward zero). */
export function idiv(a: number, b: number): number {
  return Math.trunc(a / b);
}

/**
 * OpenCV's cvRound on x86-64: round to nearest, ties to even (SSE2 cvtsd2si in the default
 * rounding mode).
 */
export function cvRound(v: number): number {
  const r = Math.round(v); // ties toward +∞
  if (r - v === 0.5 && r % 2 !== 0) return r - 1;
  return r;
}

/** Paints pixels xl..xr (inclusive, already clipped) of row y. */
export function hline(
  img: RgbImage,
  y: number,
  xl: number,
  xr: number,
  r: number,
  g: number,
  b: number,
): void {
  const d = img.data;
  let o = (y * img.width + xl) * 3;
  const end = (y * img.width + xr) * 3;
  for (; o <= end; o += 3) {
    d[o] = r;
    d[o + 1] = g;
    d[o + 2] = b;
  }
}

/** Paints one pixel if it lies inside the image. */
export function putPixel(
  img: RgbImage,
  x: number,
  y: number,
  r: number,
  g: number,
  b: number,
): void {
  if (x < 0 || y < 0 || x >= img.width || y >= img.height) return;
  const o = (y * img.width + x) * 3;
  const d = img.data;
  d[o] = r;
  d[o + 1] = g;
  d[o + 2] = b;
}
