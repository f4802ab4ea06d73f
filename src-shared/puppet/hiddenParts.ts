/**
 * What a moving limb uncovers. In the picture an arm may lie over the torso; when it moves away
 * the torso must show there, not a hole and not the arm's old pixels. Each part's hidden area is
 * the picture's character pixels inside that part's extent (the convex hull of its own pixels)
 * that belong to a part drawn in front of it and touch the part's own pixels (what lies in the hull
 * but apart from the part, e.g. a ski pole's tip beside a shin, was never behind it: given to the
 * shin it floated along as a speck). The part gets the mesh triangles there, textured by
 * filling the area from the part's own pixels with `fillBackground` (the same fill signature as
 * the background plate, so a better inpainting serves both).
 */
import { BONE_COUNT } from './bones';
import { halfWidths } from './limbReach';
import type { PartLabels } from './partLabels';
import type { HiddenTriangles } from './puppetMesh';
import type { MaskMesh } from './triangulateMask';

/** A texture the mesh samples: premultiplied RGBA (colour 0–255 × alpha, alpha 0–1) over a box of the picture. */
export interface MeshTexture {
  readonly x0: number;
  readonly y0: number;
  readonly width: number;
  readonly height: number;
  readonly rgba: Float32Array;
}

export type FillFn = (
  rgb: Float32Array,
  known: Uint8Array,
  width: number,
  height: number,
) => Float32Array;

/** Fewer hidden cells than this: nothing worth a texture. */
const MIN_HIDDEN_CELLS = 6;
/** A pixel is fully inside the character from this alpha on (its hidden area leaves the outline alone). */
const OPAQUE = 0.99;

type Pt = readonly [number, number];
const cross = (o: Pt, a: Pt, b: Pt) =>
  (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/** Convex hull (counter-clockwise in y-down coordinates as computed), monotone chain. */
export function convexHull(points: Pt[]): Pt[] {
  const p = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (p.length < 3) return p;
  const lower: Pt[] = [];
  for (const q of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, q) <= 0)
      lower.pop();
    lower.push(q);
  }
  const upper: Pt[] = [];
  for (let i = p.length - 1; i >= 0; i--) {
    const q = p[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, q) <= 0)
      upper.pop();
    upper.push(q);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

export function insideHull(hull: Pt[], x: number, y: number): boolean {
  if (hull.length < 3) return false;
  for (let i = 0; i < hull.length; i++)
    if (cross(hull[i]!, hull[(i + 1) % hull.length]!, [x, y]) < 0) return false;
  return true;
}

/** The eight directions a walk from a cell can take (four axes, both ways). */
const DIRECTIONS = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
  [1, 1],
  [-1, -1],
  [1, -1],
  [-1, 1],
] as const;

type Box = readonly [number, number, number, number];

/**
 * Per cell of the box, a bit per direction: walking that way through the character (any part but
 * k) reaches k's own cells before the background. One scan per direction, each cell taking its
 * neighbour's answer; k's cells all lie in the box, so a walk leaving it never reaches them.
 */
function reachesPart(first: Int8Array, w: number, k: number, box: Box): Uint8Array {
  const [i0, i1, j0, j1] = box;
  const bw = i1 - i0 + 1;
  const bits = new Uint8Array(bw * (j1 - j0 + 1));
  DIRECTIONS.forEach(([di, dj], d) => {
    const bit = 1 << d;
    // Visit a cell after the neighbour it walks to.
    for (let jj = 0; jj <= j1 - j0; jj++) {
      const j = dj > 0 ? j1 - jj : j0 + jj;
      for (let ii = 0; ii <= i1 - i0; ii++) {
        const i = di > 0 ? i1 - ii : i0 + ii;
        const u = i + di;
        const v = j + dj;
        if (u < i0 || v < j0 || u > i1 || v > j1) continue;
        const m = first[v * w + u]!;
        if (m === k || (m >= 0 && bits[(v - j0) * bw + u - i0]! & bit))
          bits[(j - j0) * bw + i - i0]! |= bit;
      }
    }
  });
  return bits;
}

/**
 * Keeps the 8-connected pieces of `cells` that touch a cell of part `k` (4-neighbours), and in them
 * the cells within `near` cells of that contact or lying across part k: walking both ways along an
 * axis through the character reaches k before the background. An arm over the torso has torso on
 * both sides; an arm sticking out beside it does not, even inside the torso's extent (a six-armed
 * creature's torso, which takes the arms the pose has no place for, spans the mapped arm), and is
 * hidden only where it joins it. `depth`: scratch, w × h. Returns how many cells are left.
 */
function keepTouching(
  cells: Uint8Array,
  first: Int8Array,
  w: number,
  k: number,
  box: Box,
  near: number,
  depth: Int32Array,
): number {
  const [i0, i1, j0, j1] = box;
  const queue: number[] = [];
  const isPart = (i: number, j: number) =>
    i >= i0 && j >= j0 && i <= i1 && j <= j1 && first[j * w + i] === k;
  // Hidden cells lie only in the part's box.
  for (let j = j0; j <= j1; j++)
    for (let i = i0; i <= i1; i++) {
      const c = j * w + i;
      depth[c] = -1;
      if (!cells[c]) continue;
      if (isPart(i - 1, j) || isPart(i + 1, j) || isPart(i, j - 1) || isPart(i, j + 1)) {
        depth[c] = 0;
        queue.push(c);
      }
    }
  let far = false;
  for (let q = 0; q < queue.length; q++) {
    const c = queue[q]!;
    const i = c % w;
    const j = (c - i) / w;
    for (let dj = -1; dj <= 1; dj++)
      for (let di = -1; di <= 1; di++) {
        const u = i + di;
        const v = j + dj;
        if (u < i0 || v < j0 || u > i1 || v > j1) continue;
        const n = v * w + u;
        if (cells[n] && depth[n]! < 0) {
          depth[n] = depth[c]! + 1;
          if (depth[n]! > near) far = true;
          queue.push(n);
        }
      }
  }
  const across = far ? reachesPart(first, w, k, box) : undefined;
  const bw = i1 - i0 + 1;
  let count = 0;
  for (let j = j0; j <= j1; j++)
    for (let i = i0; i <= i1; i++) {
      const c = j * w + i;
      const d = depth[c]!;
      let keep = d >= 0 && d <= near;
      if (d > near && across) {
        const bits = across[(j - j0) * bw + i - i0]!;
        // Both ways along one axis (bits 2a and 2a + 1).
        keep = (bits & (bits >> 1) & 0b01010101) !== 0;
      }
      cells[c] = keep ? 1 : 0;
      if (keep) count++;
    }
  return count;
}

export interface HiddenResult {
  readonly hidden: HiddenTriangles[];
  readonly textures: MeshTexture[];
}

export function hiddenParts(
  mesh: MaskMesh,
  labels: PartLabels,
  layers: readonly number[],
  picture: { width: number; height: number; rgba: Float32Array },
  fill: FillFn,
): HiddenResult {
  const { w, h, scale, first } = labels;
  const { width: W, height: H, rgba } = picture;
  const cx = (i: number) => labels.x0 + (i + 0.5) * scale - 0.5;
  const cy = (j: number) => labels.y0 + (j + 0.5) * scale - 0.5;
  const alphaAt = (x: number, y: number) => {
    const xi = Math.min(W - 1, Math.max(0, Math.round(x)));
    const yi = Math.min(H - 1, Math.max(0, Math.round(y)));
    return rgba[(yi * W + xi) * 4 + 3]!;
  };
  const hidden: HiddenTriangles[] = [];
  const textures: MeshTexture[] = [];
  const ntri = mesh.triangles.length / 3;
  const pts = mesh.points;
  // The character's half-width per cell (see `keepTouching`'s `near`), as the labels measured it.
  const widths =
    labels.widths ??
    halfWidths(
      Uint8Array.from(first, (k) => (k >= 0 ? 1 : 0)),
      w,
      h,
    ).map((v) => v * scale);
  const depth = new Int32Array(w * h);
  // Per part, the row ends of its own cells (one pass over the labels).
  const lo = new Int32Array(BONE_COUNT * h).fill(-1);
  const hi = new Int32Array(BONE_COUNT * h).fill(-1);
  for (let j = 0; j < h; j++)
    for (let i = 0; i < w; i++) {
      const k = first[j * w + i]!;
      if (k < 0) continue;
      if (lo[k * h + j]! < 0) lo[k * h + j] = i;
      hi[k * h + j] = i;
    }
  for (let k = 0; k < BONE_COUNT; k++) {
    // Extent: the hull of the row ends of the part's own cells.
    const ends: Pt[] = [];
    for (let j = 0; j < h; j++)
      if (lo[k * h + j]! >= 0) ends.push([cx(lo[k * h + j]!), cy(j)], [cx(hi[k * h + j]!), cy(j)]);
    const hull = convexHull(ends);
    if (hull.length < 3) continue;
    const hiddenCell = new Uint8Array(w * h);
    let count = 0;
    // Only the rows the part spans, between its leftmost and rightmost cells.
    let j0 = h;
    let j1 = -1;
    let i0 = w;
    let i1 = -1;
    for (let j = 0; j < h; j++)
      if (lo[k * h + j]! >= 0) {
        j0 = Math.min(j0, j);
        j1 = j;
        i0 = Math.min(i0, lo[k * h + j]!);
        i1 = Math.max(i1, hi[k * h + j]!);
      }
    for (let j = j0; j <= j1; j++)
      for (let i = i0; i <= i1; i++) {
        const m = first[j * w + i]!;
        if (m < 0 || m === k || layers[m]! <= layers[k]!) continue;
        if (alphaAt(cx(i), cy(j)) < OPAQUE || !insideHull(hull, cx(i), cy(j))) continue;
        hiddenCell[j * w + i] = 1;
        count++;
      }
    // Beside the part, its hidden area reaches about half the front part's width from where they
    // join (the median half-width of the covered cells; measured on char5 and char4: twice that
    // left a ghost stump of the fill where a six-armed creature's arm stuck out of the body, none
    // at all opened a notch in char4's raised-arm shoulder).
    const covered: number[] = [];
    for (let c = 0; c < hiddenCell.length; c++) if (hiddenCell[c]) covered.push(widths[c]!);
    covered.sort((a, b) => a - b);
    const near = Math.max(1, Math.round((covered[covered.length >> 1] ?? scale) / scale));
    count = keepTouching(hiddenCell, first, w, k, [i0, i1, j0, j1], near, depth);
    if (count < MIN_HIDDEN_CELLS) continue;
    const tris: number[] = [];
    let bx0 = Infinity;
    let by0 = Infinity;
    let bx1 = -Infinity;
    let by1 = -Infinity;
    for (let t = 0; t < ntri; t++) {
      const a = mesh.triangles[3 * t]!;
      const b = mesh.triangles[3 * t + 1]!;
      const c = mesh.triangles[3 * t + 2]!;
      const gx = (pts[2 * a]! + pts[2 * b]! + pts[2 * c]!) / 3;
      const gy = (pts[2 * a + 1]! + pts[2 * b + 1]! + pts[2 * c + 1]!) / 3;
      const i = Math.floor((Math.round(gx) - labels.x0) / scale);
      const j = Math.floor((Math.round(gy) - labels.y0) / scale);
      if (i < 0 || j < 0 || i >= w || j >= h || !hiddenCell[j * w + i]) continue;
      tris.push(t);
      for (const v of [a, b, c]) {
        bx0 = Math.min(bx0, pts[2 * v]!);
        by0 = Math.min(by0, pts[2 * v + 1]!);
        bx1 = Math.max(bx1, pts[2 * v]!);
        by1 = Math.max(by1, pts[2 * v + 1]!);
      }
    }
    if (tris.length === 0) continue;
    // The texture's box: the hidden triangles plus a margin the fill takes the part's colours from.
    const margin = 8 * scale;
    const x0 = Math.max(0, Math.floor(bx0) - margin);
    const y0 = Math.max(0, Math.floor(by0) - margin);
    const tw = Math.min(W, Math.ceil(bx1) + margin + 1) - x0;
    const th = Math.min(H, Math.ceil(by1) + margin + 1) - y0;
    const rgb = new Float32Array(tw * th * 3);
    const known = new Uint8Array(tw * th);
    let nKnown = 0;
    for (let y = 0; y < th; y++)
      for (let x = 0; x < tw; x++) {
        const src = ((y + y0) * W + x + x0) * 4;
        const a = rgba[src + 3]!;
        const i = Math.floor((x + x0 - labels.x0) / scale);
        const j = Math.floor((y + y0 - labels.y0) / scale);
        const own = i >= 0 && j >= 0 && i < w && j < h && first[j * w + i] === k;
        if (!own || a < OPAQUE) continue;
        const o = y * tw + x;
        known[o] = 1;
        nKnown++;
        for (let c = 0; c < 3; c++) rgb[o * 3 + c] = rgba[src + c]! / a / 255;
      }
    if (nKnown === 0) continue;
    const filled = fill(rgb, known, tw, th);
    const tex = new Float32Array(tw * th * 4);
    for (let y = 0; y < th; y++)
      for (let x = 0; x < tw; x++) {
        const src = ((y + y0) * W + x + x0) * 4;
        const o = y * tw + x;
        const a = rgba[src + 3]!;
        if (known[o]) {
          for (let c = 0; c < 4; c++) tex[o * 4 + c] = rgba[src + c]!;
          continue;
        }
        // The part's colours under the front part, inside the character's own outline.
        for (let c = 0; c < 3; c++)
          tex[o * 4 + c] = Math.min(1, Math.max(0, filled[o * 3 + c]!)) * 255 * a;
        tex[o * 4 + 3] = a;
      }
    hidden.push({ part: k, triangles: tris });
    textures.push({ x0, y0, width: tw, height: th, rgba: tex });
  }
  return { hidden, textures };
}
