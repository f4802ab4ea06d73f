import type { RgbImage } from '#shared/image/rgbImage';
import { XY_ONE, XY_SHIFT, cvRound, shr16 } from './paint';
import { circleFilled } from './circle';
import { fillConvexPoly } from './fillConvexPoly';

const quad = new Float64Array(8);

/**
 * `cv2.line(img, p0, p1, color, thickness)` for thickness ≥ 2, LINE_8, integer end points:
 * OpenCV's ThickLine — a 16.16 fixed-point quadrilateral filled with fillConvexPoly, plus round
 * caps drawn as filled circles of radius round(thickness / 2).
 */
export function thickLine(
  img: RgbImage,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  thickness: number,
  r: number,
  g: number,
  b: number,
): void {
  const p0x = x0 * XY_ONE;
  const p0y = y0 * XY_ONE;
  const p1x = x1 * XY_ONE;
  const p1y = y1 * XY_ONE;
  const dx = (p0x - p1x) / XY_ONE;
  const dy = (p1y - p0y) / XY_ONE;
  let rr = dx * dx + dy * dy;
  const odd = thickness & 1;
  const t = thickness * (XY_ONE >> 1); // thickness << (XY_SHIFT - 1)
  if (Math.abs(rr) > Number.EPSILON) {
    rr = (t + odd * XY_ONE * 0.5) / Math.sqrt(rr);
    const dpx = cvRound(dy * rr);
    const dpy = cvRound(dx * rr);
    quad[0] = p0x + dpx;
    quad[1] = p0y + dpy;
    quad[2] = p0x - dpx;
    quad[3] = p0y - dpy;
    quad[4] = p1x - dpx;
    quad[5] = p1y - dpy;
    quad[6] = p1x + dpx;
    quad[7] = p1y + dpy;
    fillConvexPoly(img, quad, 4, XY_SHIFT, r, g, b);
  }
  const capRadius = shr16(t + (XY_ONE >> 1));
  circleFilled(img, shr16(p0x + (XY_ONE >> 1)), shr16(p0y + (XY_ONE >> 1)), capRadius, r, g, b);
  circleFilled(img, shr16(p1x + (XY_ONE >> 1)), shr16(p1y + (XY_ONE >> 1)), capRadius, r, g, b);
}
