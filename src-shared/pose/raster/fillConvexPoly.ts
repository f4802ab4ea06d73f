import type { RgbImage } from '#shared/image/rgbImage';
import { XY_ONE, hline, idiv, shr16 } from './paint';
import { line2, line8 } from './thinLine';

/**
 * `cv2.fillConvexPoly(img, pts, color)` with LINE_8: OpenCV's FillConvexPoly. First every edge is
 * stroked (8-connected integer lines when `shift` is 0, fixed-point `Line2` otherwise), then the
 * polygon is scanned row by row from its top vertex with two edge walkers whose x positions are
 * 16.16 fixed point, each span rounded to the nearest pixel at both ends.
 *
 * `v` holds `npts` vertices as x, y pairs in integer units of 2^-shift pixels (shift 0 or 16).
 */
export function fillConvexPoly(
  img: RgbImage,
  v: Float64Array | Int32Array,
  npts: number,
  shift: 0 | 16,
  r: number,
  g: number,
  b: number,
): void {
  const width = img.width;
  const height = img.height;
  const scale = shift === 0 ? XY_ONE : 1; // << (XY_SHIFT - shift)
  const delta = shift === 0 ? 0 : XY_ONE >> 1; // 1 << shift >> 1
  const half = XY_ONE >> 1; // delta1 = delta2 for LINE_8

  let p0x = v[(npts - 1) * 2]! * scale;
  let p0y = v[(npts - 1) * 2 + 1]! * scale;
  let xmin = v[0]!;
  let xmax = xmin;
  let ymin = v[1]!;
  let ymax = ymin;
  let imin = 0;
  for (let i = 0; i < npts; i++) {
    const vx = v[i * 2]!;
    const vy = v[i * 2 + 1]!;
    if (vy < ymin) {
      ymin = vy;
      imin = i;
    }
    if (vy > ymax) ymax = vy;
    if (vx > xmax) xmax = vx;
    if (vx < xmin) xmin = vx;
    const px = vx * scale;
    const py = vy * scale;
    if (shift === 0) line8(img, shr16(p0x), shr16(p0y), shr16(px), shr16(py), r, g, b);
    else line2(img, p0x, p0y, px, py, r, g, b);
    p0x = px;
    p0y = py;
  }
  const sh = shift === 0 ? 1 : XY_ONE;
  xmin = Math.floor((xmin + delta) / sh);
  xmax = Math.floor((xmax + delta) / sh);
  ymin = Math.floor((ymin + delta) / sh);
  ymax = Math.floor((ymax + delta) / sh);
  if (npts < 3 || xmax < 0 || ymax < 0 || xmin >= width || ymin >= height) return;
  ymax = Math.min(ymax, height - 1);

  // two edge walkers: 0 goes forward through the vertex list, 1 backward
  let idx0e = imin;
  let idx1e = imin;
  let ye0 = ymin;
  let ye1 = ymin;
  let x0 = -XY_ONE;
  let x1 = -XY_ONE;
  let dx0 = 0;
  let dx1 = 0;
  let edges = npts;
  let y = ymin;
  do {
    for (let i = 0; i < 2; i++) {
      if (y >= (i === 0 ? ye0 : ye1)) {
        let idx0 = i === 0 ? idx0e : idx1e;
        const di = i === 0 ? 1 : npts - 1;
        let idx = idx0 + di;
        if (idx >= npts) idx -= npts;
        for (; edges-- > 0;) {
          const ty = Math.floor((v[idx * 2 + 1]! + delta) / sh);
          if (ty > y) {
            const xs = v[idx0 * 2]! * scale;
            const xe = v[idx * 2]! * scale;
            const dx = idiv((xe - xs) * 2 + (ty - y), 2 * (ty - y));
            if (i === 0) {
              ye0 = ty;
              dx0 = dx;
              x0 = xs;
              idx0e = idx;
            } else {
              ye1 = ty;
              dx1 = dx;
              x1 = xs;
              idx1e = idx;
            }
            break;
          }
          idx0 = idx;
          idx += di;
          if (idx >= npts) idx -= npts;
        }
      }
    }
    if (edges < 0) break;
    if (y >= 0) {
      const left = x0 > x1 ? x1 : x0;
      const right = x0 > x1 ? x0 : x1;
      let xx1 = shr16(left + half);
      let xx2 = shr16(right + half);
      if (xx2 >= 0 && xx1 < width) {
        if (xx1 < 0) xx1 = 0;
        if (xx2 >= width) xx2 = width - 1;
        hline(img, y, xx1, xx2, r, g, b);
      }
    }
    x0 += dx0;
    x1 += dx1;
  } while (++y <= ymax);
}
