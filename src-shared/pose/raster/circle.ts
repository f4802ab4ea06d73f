import type { RgbImage } from '#shared/image/rgbImage';
import { hline } from './paint';

/**
 * `cv2.circle(img, center, radius, color, thickness=-1)` with LINE_8 and integer centre: OpenCV's
 * midpoint `Circle` scan conversion, which fills horizontal spans symmetric about the centre
 * (a radius-4 disc covers 49 pixels, 9 across on the middle row and 1 at the top and bottom).
 */
export function circleFilled(
  img: RgbImage,
  cx: number,
  cy: number,
  radius: number,
  r: number,
  g: number,
  b: number,
): void {
  const w = img.width;
  const h = img.height;
  let err = 0;
  let dx = radius;
  let dy = 0;
  let plus = 1;
  let minus = (radius << 1) - 1;
  while (dx >= dy) {
    const y11 = cy - dy;
    const y12 = cy + dy;
    const y21 = cy - dx;
    const y22 = cy + dx;
    let x11 = cx - dx;
    let x12 = cx + dx;
    let x21 = cx - dy;
    let x22 = cx + dy;
    if (x11 < w && x12 >= 0 && y21 < h && y22 >= 0) {
      x11 = Math.max(x11, 0);
      x12 = Math.min(x12, w - 1);
      if (y11 >= 0 && y11 < h) hline(img, y11, x11, x12, r, g, b);
      if (y12 >= 0 && y12 < h) hline(img, y12, x11, x12, r, g, b);
      if (x21 < w && x22 >= 0) {
        x21 = Math.max(x21, 0);
        x22 = Math.min(x22, w - 1);
        if (y21 >= 0 && y21 < h) hline(img, y21, x21, x22, r, g, b);
        if (y22 >= 0 && y22 < h) hline(img, y22, x21, x22, r, g, b);
      }
    }
    dy++;
    err += plus;
    plus += 2;
    const mask = err <= 0 ? 0 : -1;
    err -= minus & mask;
    dx += mask;
    minus -= mask & 2;
  }
}
