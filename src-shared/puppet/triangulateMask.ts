/**
 * A triangle mesh of a mask: every pixel on the mask's border is a vertex, Steiner points on a
 * regular grid fill the inside (so triangles stay small and bend smoothly), Delaunator
 * triangulates them, and only triangles lying inside the mask are kept (centroid and edge
 * midpoints in the mask: a triangle bridging the gap between an arm and the body is dropped).
 * Vertices sit on pixel centres (integer coordinates), the sampling convention of the compositor.
 */
import Delaunator from 'delaunator';

export interface MaskMesh {
  /** Vertex coordinates [x0, y0, x1, y1, …] in picture pixels. */
  readonly points: Float64Array;
  /** Triangles as vertex index triples. */
  readonly triangles: Uint32Array;
}

/** Grid spacing of the Steiner points: ~1/80 of the picture's long side, at least 4 px. */
export function steinerSpacing(width: number, height: number): number {
  return Math.max(4, Math.round(Math.max(width, height) / 80));
}

export function triangulateMask(
  mask: Uint8Array,
  width: number,
  height: number,
  spacing = steinerSpacing(width, height),
): MaskMesh {
  const at = (x: number, y: number) =>
    x >= 0 && y >= 0 && x < width && y < height && mask[y * width + x] !== 0;
  const coords: number[] = [];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue;
      const border = !at(x - 1, y) || !at(x + 1, y) || !at(x, y - 1) || !at(x, y + 1);
      // Inside points on the grid, away from the border (a point beside a border pixel only makes slivers).
      const steiner =
        x % spacing === 0 &&
        y % spacing === 0 &&
        at(x - 2, y) &&
        at(x + 2, y) &&
        at(x, y - 2) &&
        at(x, y + 2);
      if (border || steiner) coords.push(x, y);
    }
  if (coords.length < 6) return { points: Float64Array.from(coords), triangles: new Uint32Array() };
  const points = Float64Array.from(coords);
  let tri: Uint32Array;
  try {
    tri = new Delaunator(points).triangles;
  } catch {
    // All points on one line: nothing to triangulate.
    return { points, triangles: new Uint32Array() };
  }
  const inside = (x: number, y: number) => at(Math.round(x), Math.round(y));
  const kept: number[] = [];
  for (let t = 0; t < tri.length; t += 3) {
    const a = tri[t]!;
    const b = tri[t + 1]!;
    const c = tri[t + 2]!;
    const ax = points[2 * a]!;
    const ay = points[2 * a + 1]!;
    const bx = points[2 * b]!;
    const by = points[2 * b + 1]!;
    const cx = points[2 * c]!;
    const cy = points[2 * c + 1]!;
    if (Math.abs((bx - ax) * (cy - ay) - (by - ay) * (cx - ax)) < 1e-9) continue;
    if (
      inside((ax + bx + cx) / 3, (ay + by + cy) / 3) &&
      inside((ax + bx) / 2, (ay + by) / 2) &&
      inside((bx + cx) / 2, (by + cy) / 2) &&
      inside((ax + cx) / 2, (ay + cy) / 2)
    )
      kept.push(a, b, c);
  }
  return { points, triangles: Uint32Array.from(kept) };
}
