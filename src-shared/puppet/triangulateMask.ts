/**
 * A triangle mesh of a mask: every pixel on the mask's border is a vertex, Steiner points on a
 * regular grid fill the inside (so triangles stay small and bend smoothly), Delaunator
 * triangulates them, and only triangles lying inside the mask are kept (centroid and edge
 * midpoints in the mask: a triangle bridging the gap between an arm and the body is dropped).
 * Vertices sit on pixel centres (integer coordinates), the sampling convention of the rasterizer.
 */
import Delaunator from 'delaunator';
import { shrinkAny } from './mask';
import { scanMeshTriangle } from './scanline';

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
  const at = (x: number, y: number) => maskAt(mask, width, height, x, y);
  const box = maskBox(mask, width, height);
  const coords: number[] = [];
  for (let y = box.y0; y <= box.y1; y++)
    for (let x = box.x0; x <= box.x1; x++) {
      if (!mask[y * width + x]) continue;
      const border = !at(x - 1, y) || !at(x + 1, y) || !at(x, y - 1) || !at(x, y + 1);
      // Inside points on the grid, away from the border (a point beside a border pixel only makes slivers).
      const steiner =
        !border &&
        x % spacing === 0 &&
        y % spacing === 0 &&
        at(x - 2, y) &&
        at(x + 2, y) &&
        at(x, y - 2) &&
        at(x, y + 2);
      if (border || steiner) coords.push(x, y);
    }
  // Delaunay triangles may bridge a concave corner of the mask (a midpoint outside): dropped,
  // they leave mask pixels uncovered. Those pixels become vertices and the mask is triangulated
  // again, until every inside pixel is covered (a few passes at most).
  let mesh = keptTriangles(Float64Array.from(coords), mask, width, height);
  // A pixel still uncovered once it is a vertex (a background wedge beside it drops its
  // triangles) is not added again: a duplicate point changes nothing but the order Delaunator
  // meets equidistant points in, and costs a whole triangulation per pass.
  const added = new Uint8Array(width * height);
  let missingNow = uncovered(mesh, mask, width, box);
  for (let pass = 0; pass < MAX_PASSES && missingNow.length > 0; pass++) {
    let fresh = 0;
    for (const i of missingNow)
      if (!added[i]) {
        added[i] = 1;
        fresh++;
        coords.push(i % width, Math.floor(i / width));
      }
    if (fresh === 0) break;
    mesh = keptTriangles(Float64Array.from(coords), mask, width, height);
    missingNow = uncovered(mesh, mask, width, box);
  }
  if (missingNow.length === 0) return mesh;
  // Still uncovered (a wedge of background narrower than a pixel between two mask edges): keep
  // the dropped triangles that cover such pixels. Delaunay triangles do not overlap, so this adds
  // coverage and never draws a pixel twice.
  const missing = new Uint8Array(width * height);
  let left = 0;
  for (const i of missingNow) {
    missing[i] = 1;
    left++;
  }
  if (left === 0) return mesh;
  const p = mesh.points;
  const extra: number[] = [];
  const spans = new Int32Array(3 * height);
  for (let t = 0; t < mesh.dropped.length; t += 3) {
    const rows = scanMeshTriangle(p, mesh.dropped, t / 3, width, height, spans);
    // Missing pixels this triangle covers.
    let found = 0;
    for (let r = 0; r < rows; r++) {
      const o = spans[3 * r]! * width;
      for (let x = spans[3 * r + 1]!; x < spans[3 * r + 2]!; x++) found += missing[o + x]!;
    }
    if (found > 0) extra.push(mesh.dropped[t]!, mesh.dropped[t + 1]!, mesh.dropped[t + 2]!);
  }
  const triangles = new Uint32Array(mesh.triangles.length + extra.length);
  triangles.set(mesh.triangles);
  triangles.set(extra, mesh.triangles.length);
  return { points: p, triangles };
}

/** Passes of adding uncovered pixels as vertices. */
const MAX_PASSES = 4;

/** The set pixels' bounding box [x0, x1] × [y0, y1] (empty: x1 < x0): no loop looks beyond it. */
interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function maskBox(mask: Uint8Array, width: number, height: number): Box {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    const o = y * width;
    let first = -1;
    let last = -1;
    for (let x = 0; x < width; x++)
      if (mask[o + x]) {
        if (first < 0) first = x;
        last = x;
      }
    if (first < 0) continue;
    if (y0 > y) y0 = y;
    y1 = y;
    if (first < x0) x0 = first;
    if (last > x1) x1 = last;
  }
  return { x0, y0, x1, y1 };
}

/** Whether (x, y) is a mask pixel (false off the picture). */
function maskAt(mask: Uint8Array, width: number, height: number, x: number, y: number): boolean {
  return x >= 0 && y >= 0 && x < width && y < height && mask[y * width + x] !== 0;
}

/** Whether the mask pixel nearest to (x, y) is set. */
function insideMask(mask: Uint8Array, width: number, height: number, x: number, y: number) {
  return maskAt(mask, width, height, Math.round(x), Math.round(y));
}

function keptTriangles(
  points: Float64Array,
  mask: Uint8Array,
  width: number,
  height: number,
): MaskMesh & { dropped: Uint32Array } {
  const none = new Uint32Array();
  if (points.length < 6) return { points, triangles: none, dropped: none };
  let tri: Uint32Array;
  try {
    tri = new Delaunator(points).triangles;
  } catch {
    // All points on one line: nothing to triangulate.
    return { points, triangles: none, dropped: none };
  }
  const kept: number[] = [];
  const dropped: number[] = [];
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
      insideMask(mask, width, height, (ax + bx + cx) / 3, (ay + by + cy) / 3) &&
      insideMask(mask, width, height, (ax + bx) / 2, (ay + by) / 2) &&
      insideMask(mask, width, height, (bx + cx) / 2, (by + cy) / 2) &&
      insideMask(mask, width, height, (ax + cx) / 2, (ay + cy) / 2)
    )
      kept.push(a, b, c);
    else dropped.push(a, b, c);
  }
  return { points, triangles: Uint32Array.from(kept), dropped: Uint32Array.from(dropped) };
}

/**
 * Mask pixels whose 3×3 neighbourhood is all mask (the mesh's border runs through the mask's own
 * border pixels) and that no kept triangle covers (`scanTriangle`'s rule, as the renderer draws).
 */
function uncovered(mesh: MaskMesh, mask: Uint8Array, width: number, box: Box): number[] {
  const height = mask.length / width;
  const covered = new Uint8Array(width * height);
  const { points: p, triangles: t } = mesh;
  const spans = new Int32Array(3 * height);
  for (let i = 0; i < t.length; i += 3) {
    const rows = scanMeshTriangle(p, t, i / 3, width, height, spans);
    for (let r = 0; r < rows; r++) {
      const o = spans[3 * r]! * width;
      covered.fill(1, o + spans[3 * r + 1]!, o + spans[3 * r + 2]!);
    }
  }
  const out: number[] = [];
  // Only pixels whose 3×3 neighbourhood is all mask: inside the mask's box, off the picture's edge.
  for (let y = Math.max(1, box.y0 + 1); y < Math.min(height - 1, box.y1); y++)
    for (let x = Math.max(1, box.x0 + 1); x < Math.min(width - 1, box.x1); x++) {
      const i = y * width + x;
      if (covered[i] || !mask[i]) continue;
      if (
        mask[i - 1] &&
        mask[i + 1] &&
        mask[i - width] &&
        mask[i + width] &&
        mask[i - width - 1] &&
        mask[i - width + 1] &&
        mask[i + width - 1] &&
        mask[i + width + 1]
      )
        out.push(i);
    }
  return out;
}

/** Long side the mask is triangulated at; larger pictures get a mesh of coarser triangles. */
export const MESH_MAX_SIDE = 1024;

/**
 * `triangulateMask` for pictures of any size: over `maxSide` px the mask is reduced by blocks
 * (a block is in when any of its pixels is, grown by one block so the mesh still covers every
 * mask pixel) and the vertices are scaled back to picture pixels (block centres).
 */
export function triangulatePicture(
  mask: Uint8Array,
  width: number,
  height: number,
  maxSide = MESH_MAX_SIDE,
): MaskMesh {
  const s = Math.ceil(Math.max(width, height) / maxSide);
  if (s <= 1) return triangulateMask(mask, width, height);
  const w = Math.ceil(width / s);
  const h = Math.ceil(height / s);
  const small = shrinkAny(mask, width, height, s);
  const grown = new Uint8Array(w * h);
  for (let j = 0; j < h; j++)
    for (let i = 0; i < w; i++) {
      if (!small[j * w + i]) continue;
      for (let dj = -1; dj <= 1; dj++)
        for (let di = -1; di <= 1; di++) {
          const ii = i + di;
          const jj = j + dj;
          if (ii >= 0 && jj >= 0 && ii < w && jj < h) grown[jj * w + ii] = 1;
        }
    }
  const mesh = triangulateMask(grown, w, h);
  const points = new Float64Array(mesh.points.length);
  for (let i = 0; i < points.length; i++) points[i] = mesh.points[i]! * s + (s - 1) / 2;
  return { points, triangles: mesh.triangles };
}
