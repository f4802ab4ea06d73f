/**
 * What a moving limb uncovers. In the picture an arm may lie over the torso; when it moves away
 * the torso must show there, not a hole and not the arm's old pixels. Each part's hidden area is
 * the picture's character pixels inside that part's extent (the convex hull of its own pixels)
 * that belong to a part drawn in front of it and touch the part's own pixels (what lies in the hull
 * but apart from the part, e.g. a ski pole's tip beside a shin, was never behind it: given to the
 * shin it floated along as a speck); beside the part, only near where they join unless the front
 * part lies across it (`hiddenReach`). The part gets the mesh triangles there, textured by
 * filling the area from the part's own pixels with `fillBackground` (the same fill signature as
 * the background plate, so a better inpainting serves both). The area keeps the picture's outline
 * there; specks of it that lie apart from the part (a fur spike's tip) are cleared
 * (`hiddenIslands`).
 */
import { BONE_COUNT } from './bones';
import type { PartLabels } from './partLabels';
import type { HiddenTriangles } from './puppetMesh';
import type { MaskMesh } from './triangulateMask';
import { type Pt, convexHull, insideHull } from './convexHull';
import { type TextureBox, dropHiddenIslands } from './hiddenIslands';
import { keepTouching } from './hiddenReach';
import { halfWidths } from './limbReach';

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

/**
 * How far (cells) beside a part its hidden area may reach from where the front part joins it: the
 * median half-width of the covered cells, about half the front part's width. Measured on char5
 * and char4: twice that left a ghost stump of the fill where a six-armed creature's arm stuck out
 * of the body; none at all opened a notch in char4's raised-arm shoulder.
 */
function nearOf(
  hiddenCell: Uint8Array,
  widths: Float32Array,
  w: number,
  box: readonly [number, number, number, number],
  scale: number,
): number {
  const [i0, i1, j0, j1] = box;
  const covered: number[] = [];
  for (let j = j0; j <= j1; j++)
    for (let i = i0; i <= i1; i++) if (hiddenCell[j * w + i]) covered.push(widths[j * w + i]!);
  covered.sort((a, b) => a - b);
  return Math.max(1, Math.round((covered[covered.length >> 1] ?? scale) / scale));
}

export interface HiddenResult {
  readonly hidden: HiddenTriangles[];
  readonly textures: MeshTexture[];
}

/**
 * Per part (k·h + j) the first and last column of its own cells in row j (−1: none), in one pass
 * over the labels.
 */
function partRows(first: Int8Array, w: number, h: number) {
  const lo = new Int32Array(BONE_COUNT * h).fill(-1);
  const hi = new Int32Array(BONE_COUNT * h).fill(-1);
  for (let j = 0; j < h; j++)
    for (let i = 0; i < w; i++) {
      const k = first[j * w + i]!;
      if (k < 0) continue;
      if (lo[k * h + j]! < 0) lo[k * h + j] = i;
      hi[k * h + j] = i;
    }
  return { lo, hi };
}

/**
 * Marks in `hiddenCell` the cells of part k's box [i0, i1] × [j0, j1] inside its hull that an
 * opaque part in front of it owns; returns how many.
 */
function markHidden(
  hiddenCell: Uint8Array,
  labels: PartLabels,
  layers: readonly number[],
  k: number,
  hull: Pt[],
  box: readonly [number, number, number, number],
  picture: { width: number; height: number; rgba: Float32Array },
): number {
  const { w, scale, first, x0, y0 } = labels;
  const { width: W, height: H, rgba } = picture;
  const [i0, i1, j0, j1] = box;
  let count = 0;
  for (let j = j0; j <= j1; j++)
    for (let i = i0; i <= i1; i++) {
      const m = first[j * w + i]!;
      if (m < 0 || m === k || layers[m]! <= layers[k]!) continue;
      const x = x0 + (i + 0.5) * scale - 0.5;
      const y = y0 + (j + 0.5) * scale - 0.5;
      const xi = Math.min(W - 1, Math.max(0, Math.round(x)));
      const yi = Math.min(H - 1, Math.max(0, Math.round(y)));
      if (rgba[(yi * W + xi) * 4 + 3]! < OPAQUE || !insideHull(hull, x, y)) continue;
      hiddenCell[j * w + i] = 1;
      count++;
    }
  return count;
}

/** The mesh's triangles whose centre lies in a hidden cell, and their vertices' box. */
function trianglesIn(mesh: MaskMesh, labels: PartLabels, hiddenCell: Uint8Array) {
  const { w, h, scale } = labels;
  const pts = mesh.points;
  const ntri = mesh.triangles.length / 3;
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
    bx0 = Math.min(bx0, pts[2 * a]!, pts[2 * b]!, pts[2 * c]!);
    by0 = Math.min(by0, pts[2 * a + 1]!, pts[2 * b + 1]!, pts[2 * c + 1]!);
    bx1 = Math.max(bx1, pts[2 * a]!, pts[2 * b]!, pts[2 * c]!);
    by1 = Math.max(by1, pts[2 * a + 1]!, pts[2 * b + 1]!, pts[2 * c + 1]!);
  }
  return { tris, bx0, by0, bx1, by1 };
}

/**
 * What the fill starts from over the texture's box: part k's own opaque pixels (un-premultiplied,
 * 0–1) are known, the rest is to fill. `known` is undefined when the part has no such pixel there.
 * `own`: the part's pixels of alpha ≥ ½ (what its hidden area must join).
 */
function fillInput(
  labels: PartLabels,
  k: number,
  box: TextureBox,
  picture: { width: number; rgba: Float32Array },
) {
  const { w, h, scale, first } = labels;
  const { width: W, rgba } = picture;
  const [x0, y0, tw, th] = box;
  const rgb = new Float32Array(tw * th * 3);
  const known = new Uint8Array(tw * th);
  const own = new Uint8Array(tw * th);
  let nKnown = 0;
  for (let y = 0; y < th; y++)
    for (let x = 0; x < tw; x++) {
      const src = ((y + y0) * W + x + x0) * 4;
      const a = rgba[src + 3]!;
      const i = Math.floor((x + x0 - labels.x0) / scale);
      const j = Math.floor((y + y0 - labels.y0) / scale);
      if (i < 0 || j < 0 || i >= w || j >= h || first[j * w + i] !== k) continue;
      if (a >= 0.5) own[y * tw + x] = 1;
      if (a < OPAQUE) continue;
      const o = y * tw + x;
      known[o] = 1;
      nKnown++;
      for (let c = 0; c < 3; c++) rgb[o * 3 + c] = rgba[src + c]! / a / 255;
    }
  return { rgb, own, known: nKnown > 0 ? known : undefined };
}

/** The hidden area's texture: the part's own pixels as they are, the fill (times the picture's alpha) elsewhere. */
function filledTexture(
  filled: Float32Array,
  known: Uint8Array,
  box: TextureBox,
  picture: { width: number; rgba: Float32Array },
): Float32Array {
  const { width: W, rgba } = picture;
  const [x0, y0, tw, th] = box;
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
  return tex;
}

/**
 * Each part's hidden area: its triangles and filled texture. The per-pixel work lives in the small
 * functions above, so this loop over the parts stays cold and only they are optimised (a few
 * small compiles instead of one large one per setup).
 */
export function hiddenParts(
  mesh: MaskMesh,
  labels: PartLabels,
  layers: readonly number[],
  picture: { width: number; height: number; rgba: Float32Array },
  fill: FillFn,
): HiddenResult {
  const { w, h, scale, first } = labels;
  const { width: W, height: H } = picture;
  const cx = (i: number) => labels.x0 + (i + 0.5) * scale - 0.5;
  const cy = (j: number) => labels.y0 + (j + 0.5) * scale - 0.5;
  const hidden: HiddenTriangles[] = [];
  const textures: MeshTexture[] = [];
  // One pair of cell planes for all parts (cleared per part), not two fresh ones each.
  const hiddenCell = new Uint8Array(w * h);
  const depth = new Int32Array(w * h);
  // The character's half-width per cell, picture pixels, as the labels measured it.
  const widths =
    labels.widths ??
    halfWidths(
      Uint8Array.from(first, (m) => (m >= 0 ? 1 : 0)),
      w,
      h,
    ).map((v) => v * scale);
  const { lo, hi } = partRows(first, w, h);
  for (let k = 0; k < BONE_COUNT; k++) {
    // Extent: the hull of the row ends of the part's own cells.
    const ends: Pt[] = [];
    for (let j = 0; j < h; j++)
      if (lo[k * h + j]! >= 0) ends.push([cx(lo[k * h + j]!), cy(j)], [cx(hi[k * h + j]!), cy(j)]);
    const hull = convexHull(ends);
    if (hull.length < 3) continue;
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
    hiddenCell.fill(0);
    const box = [i0, i1, j0, j1] as const;
    markHidden(hiddenCell, labels, layers, k, hull, box, picture);
    const count = keepTouching(
      hiddenCell,
      first,
      w,
      k,
      box,
      nearOf(hiddenCell, widths, w, box, scale),
      depth,
    );
    if (count < MIN_HIDDEN_CELLS) continue;
    const { tris, bx0, by0, bx1, by1 } = trianglesIn(mesh, labels, hiddenCell);
    if (tris.length === 0) continue;
    // The texture's box: the hidden triangles plus a margin the fill takes the part's colours from.
    const margin = 8 * scale;
    const x0 = Math.max(0, Math.floor(bx0) - margin);
    const y0 = Math.max(0, Math.floor(by0) - margin);
    const tw = Math.min(W, Math.ceil(bx1) + margin + 1) - x0;
    const th = Math.min(H, Math.ceil(by1) + margin + 1) - y0;
    const texBox = [x0, y0, tw, th] as const;
    const { rgb, own, known } = fillInput(labels, k, texBox, picture);
    if (!known) continue;
    const tex = filledTexture(fill(rgb, known, tw, th), known, texBox, picture);
    dropHiddenIslands(tex, own, texBox, mesh.points, mesh.triangles, tris, picture);
    hidden.push({ part: k, triangles: tris });
    textures.push({ x0, y0, width: tw, height: th, rgba: tex });
  }
  return { hidden, textures };
}
