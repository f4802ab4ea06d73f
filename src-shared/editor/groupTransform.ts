import { POINT_COUNT } from '#shared/pose/skeleton';
import { STRIDE } from '#shared/pose/types';

/** A similarity transform about a pivot: scale, then rotate (radians), then translate. */
export interface GroupTransform {
  pivot: readonly [number, number];
  scale?: number;
  angle?: number;
  dx?: number;
  dy?: number;
}

/** Apply a group transform to the present points among `indices`; returns a new array. */
export function transformPoints(
  points: Float64Array,
  indices: Iterable<number>,
  t: GroupTransform,
): Float64Array {
  const out = new Float64Array(points);
  const s = t.scale ?? 1;
  const cos = Math.cos(t.angle ?? 0) * s;
  const sin = Math.sin(t.angle ?? 0) * s;
  const [px, py] = t.pivot;
  const dx = t.dx ?? 0;
  const dy = t.dy ?? 0;
  for (const i of indices) {
    if (i < 0 || i >= POINT_COUNT) throw new RangeError(`point index ${i} is out of range`);
    const o = i * STRIDE;
    if (!(points[o + 2]! > 0)) continue;
    const x = points[o]! - px;
    const y = points[o + 1]! - py;
    out[o] = px + x * cos - y * sin + dx;
    out[o + 1] = py + x * sin + y * cos + dy;
  }
  return out;
}

/** Centre of the bounding box of the present points among `indices` (the default pivot). */
export function selectionPivot(
  points: Float64Array,
  indices: Iterable<number>,
): [number, number] | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const i of indices) {
    const o = i * STRIDE;
    if (!(points[o + 2]! > 0)) continue;
    minX = Math.min(minX, points[o]!);
    maxX = Math.max(maxX, points[o]!);
    minY = Math.min(minY, points[o + 1]!);
    maxY = Math.max(maxY, points[o + 1]!);
  }
  return minX <= maxX ? [(minX + maxX) / 2, (minY + maxY) / 2] : null;
}

/** Indices of present points inside an axis-aligned rectangle (the selection marquee). */
export function pointsInRect(
  points: Float64Array,
  rect: { x: number; y: number; width: number; height: number },
  candidates?: Iterable<number>,
): number[] {
  const x0 = Math.min(rect.x, rect.x + rect.width);
  const x1 = Math.max(rect.x, rect.x + rect.width);
  const y0 = Math.min(rect.y, rect.y + rect.height);
  const y1 = Math.max(rect.y, rect.y + rect.height);
  const out: number[] = [];
  const all = candidates ?? Array.from({ length: POINT_COUNT }, (_, i) => i);
  for (const i of all) {
    const o = i * STRIDE;
    if (!(points[o + 2]! > 0)) continue;
    const x = points[o]!;
    const y = points[o + 1]!;
    if (x >= x0 && x <= x1 && y >= y0 && y <= y1) out.push(i);
  }
  return out;
}
