/**
 * The one rule deciding which pixels a triangle covers (the mesh rasterizer, the triangulation's
 * coverage check and the forward map all use it). Pixel (x, y) is covered when its centre lies in
 * the half-open span [left, right) of the triangle's row y, for rows in [top, bottom). Corners are
 * sorted by (y, x) and each edge's crossing is computed from its upper end, so two triangles
 * sharing an edge compute the same crossings bit for bit: they split its pixels exactly, with no
 * gap and no pixel covered twice.
 */

/**
 * The covered rows, as (y, x0, x1) triples with columns [x0, x1), are written to a caller's
 * array (3 × height entries) rather than passed to a callback: a callback made per call (the
 * triangulation's coverage checks) is a new closure each setup, and V8 throws away the code it
 * optimised around the last one.
 */
export type RowSpans = Int32Array;

const ax = [0, 0, 0];
const ay = [0, 0, 0];

/** Rows and columns clipped to [0, width) × [0, height); returns how many rows `spans` holds. */
export function scanTriangle(
  xa: number,
  ya: number,
  xb: number,
  yb: number,
  xc: number,
  yc: number,
  width: number,
  height: number,
  spans: RowSpans,
): number {
  ax[0] = xa;
  ay[0] = ya;
  ax[1] = xb;
  ay[1] = yb;
  ax[2] = xc;
  ay[2] = yc;
  for (let i = 1; i < 3; i++)
    for (
      let j = i;
      j > 0 && (ay[j]! < ay[j - 1]! || (ay[j] === ay[j - 1] && ax[j]! < ax[j - 1]!));
      j--
    ) {
      const x = ax[j]!;
      ax[j] = ax[j - 1]!;
      ax[j - 1] = x;
      const y = ay[j]!;
      ay[j] = ay[j - 1]!;
      ay[j - 1] = y;
    }
  const x0 = ax[0]!;
  const y0 = ay[0]!;
  const x1 = ax[1]!;
  const y1 = ay[1]!;
  const x2 = ax[2]!;
  const y2 = ay[2]!;
  if (!(y2 > y0)) return 0; // flat or NaN
  const slope02 = (x2 - x0) / (y2 - y0);
  const slope01 = y1 > y0 ? (x1 - x0) / (y1 - y0) : 0;
  const slope12 = y2 > y1 ? (x2 - x1) / (y2 - y1) : 0;
  const rowStart = Math.max(0, Math.ceil(y0));
  const rowEnd = Math.min(height, Math.ceil(y2));
  let rows = 0;
  for (let y = rowStart; y < rowEnd; y++) {
    const xa2 = x0 + (y - y0) * slope02;
    const xb2 = y < y1 ? x0 + (y - y0) * slope01 : x1 + (y - y1) * slope12;
    const left = Math.max(0, Math.ceil(xa2 < xb2 ? xa2 : xb2));
    const right = Math.min(width, Math.ceil(xa2 < xb2 ? xb2 : xa2));
    if (right > left) {
      spans[3 * rows] = y;
      spans[3 * rows + 1] = left;
      spans[3 * rows + 2] = right;
      rows++;
    }
  }
  return rows;
}

/**
 * `scanTriangle` for triangle `i` of a mesh: corners `triangles[3i…3i+2]`, each an index into
 * `points` ([x0, y0, x1, y1, …]).
 */
export function scanMeshTriangle(
  points: ArrayLike<number>,
  triangles: ArrayLike<number>,
  i: number,
  width: number,
  height: number,
  spans: RowSpans,
): number {
  const a = 2 * triangles[3 * i]!;
  const b = 2 * triangles[3 * i + 1]!;
  const c = 2 * triangles[3 * i + 2]!;
  return scanTriangle(
    points[a]!,
    points[a + 1]!,
    points[b]!,
    points[b + 1]!,
    points[c]!,
    points[c + 1]!,
    width,
    height,
    spans,
  );
}
