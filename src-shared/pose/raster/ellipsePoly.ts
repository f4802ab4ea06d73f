import { cvRound } from './paint';

/**
 * OpenCV's sine table for whole degrees 0…450: sin rounded to 7 decimals, stored as float32
 * (drawing.cpp's `SinTable`). ellipse2Poly uses it instead of Math.sin, so we must too to land on
 * the same vertices.
 */
const SIN_TABLE: Float32Array = (() => {
  const t = new Float32Array(451);
  for (let i = 0; i <= 450; i++) t[i] = Math.round(Math.sin((i * Math.PI) / 180) * 1e7) / 1e7;
  return t;
})();

/** Largest vertex count ellipse2Poly produces for a full 0…360° ellipse at 1° steps. */
export const ELLIPSE_MAX_POINTS = 361;

/**
 * `cv2.ellipse2Poly(center, axes, angle, 0, 360, 1)` with integer centre, axes and angle: 361
 * samples at whole degrees, rotated with the float sine table, rounded half-to-even, consecutive
 * duplicates dropped. Writes x, y pairs into `out` (length ≥ 2 × ELLIPSE_MAX_POINTS) and returns
 * the number of vertices.
 */
export function ellipse2Poly(
  cx: number,
  cy: number,
  axisW: number,
  axisH: number,
  angle: number,
  out: Int32Array,
): number {
  while (angle < 0) angle += 360;
  while (angle > 360) angle -= 360;
  // sincos(): angle is now in [0, 360]
  const beta = SIN_TABLE[angle]!; // sin
  const alpha = SIN_TABLE[450 - angle]!; // cos
  let n = 0;
  let prevX = -2147483648;
  let prevY = -2147483648;
  for (let i = 0; i <= 360; i++) {
    const x = axisW * SIN_TABLE[450 - i]!;
    const y = axisH * SIN_TABLE[i]!;
    const px = cvRound(cx + x * alpha - y * beta);
    const py = cvRound(cy + x * beta + y * alpha);
    if (px !== prevX || py !== prevY) {
      out[n * 2] = px;
      out[n * 2 + 1] = py;
      n++;
      prevX = px;
      prevY = py;
    }
  }
  if (n === 1) {
    out[0] = cx;
    out[1] = cy;
    out[2] = cx;
    out[3] = cy;
    n = 2;
  }
  return n;
}
