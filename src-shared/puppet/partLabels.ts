/**
 * Which part each character pixel belongs to, and the part next nearest to it: the bones' seeds
 * (`boneSeeds`, plus silhouette walks) spread geodesically through the character's own pixels
 * (8-connected), so an arm stays an arm next to the body wherever a gap separates them. The mesh
 * uses the nearest part to assign triangles, and the distance to the second to blend skinning
 * weights over a seam where two connected parts meet (a smooth elbow).
 *
 * Solved over the domain's bounding box on cells of `scale` pixels (at most `MAX_SIDE` per side).
 */
import { BONE_COUNT } from './bones';
import { MinHeap } from './minHeap';
import { boneSeeds, distToSegment, insidePolygon } from './boneSeeds';
import { halfWidths, limbReach } from './limbReach';
import { BEYOND_HIP_COST, beyondHips } from './beyondHips';
import type { LabelGrid } from './labelGrid';

/** Long side of the grid the labels are solved on; larger pictures are solved downscaled. */
export const MAX_SIDE = 512;
/** How far the torso's seed quad is pulled toward its centre (see `boneSeeds`). */
export const TORSO_PULL = 0.05;

export interface PartLabels {
  /** Cell grid over the domain's box: cell (i, j) covers picture pixels from (x0 + i·scale, …). */
  readonly x0: number;
  readonly y0: number;
  readonly w: number;
  readonly h: number;
  readonly scale: number;
  /** Nearest and second-nearest part per cell (−1: none reached). */
  readonly first: Int8Array;
  readonly second: Int8Array;
  /** Their geodesic distances in picture pixels (Infinity: none). */
  readonly d1: Float32Array;
  readonly d2: Float32Array;
  /** The character's half-width per cell, picture pixels (distance to the outside). */
  readonly widths?: Float32Array;
  /** Per bone, 1: a thigh whose leg comes out from under a skirt or dress (`coveredLegs`). */
  readonly underCover?: Uint8Array;
}

/** The cell of picture point (x, y), or −1 outside the grid. */
export function labelCell(l: PartLabels, x: number, y: number): number {
  const i = Math.floor((Math.round(x) - l.x0) / l.scale);
  const j = Math.floor((Math.round(y) - l.y0) / l.scale);
  return i < 0 || j < 0 || i >= l.w || j >= l.h ? -1 : j * l.w + i;
}

/**
 * Labels for the pixels set in `domain` (W×H). `widest`: a second part further than this beyond
 * the nearest is not recorded (its wave stops there, so it does not flood the whole character).
 */
export function partLabels(
  ref: Float64Array,
  domain: Uint8Array,
  width: number,
  height: number,
  widest: number,
): PartLabels {
  const box = domainBox(domain, width, height);
  if (!box) {
    const none = new Int8Array(0);
    const inf = new Float32Array(0);
    return { x0: 0, y0: 0, w: 0, h: 0, scale: 1, first: none, second: none, d1: inf, d2: inf };
  }
  const scale = Math.max(1, Math.ceil(Math.max(width, height) / MAX_SIDE));
  const [bx0, by0] = box;
  const w = Math.ceil((box[2] - bx0 + 1) / scale);
  const h = Math.ceil((box[3] - by0 + 1) / scale);
  const n = w * h;
  const grid = { x0: bx0, y0: by0, w, h, scale };
  const inside = insideCells(domain, width, box, grid);

  const first = new Int8Array(n).fill(-1);
  const second = new Int8Array(n).fill(-1);
  const d1 = new Float32Array(n).fill(Infinity);
  const d2 = new Float32Array(n).fill(Infinity);
  // A limb claims pixels off its bone (beyond its reach) only after every other part has spread:
  // an unmapped arm or a rump goes with the body it grows from, not with a mapped limb beside it.
  const widths = halfWidths(inside, w, h);
  if (scale !== 1) for (let c = 0; c < n; c++) widths[c] = widths[c]! * scale;
  const underCover = new Uint8Array(BONE_COUNT);
  const limbHalf = new Float64Array(BONE_COUNT);
  const limbCells = limbReach(ref, widths, grid, underCover, limbHalf);
  const front = new PartFront(n, limbCells);
  // The torso is seeded over its whole shoulder–hip quad: the mesh bends a limb about its joint,
  // so the border between torso and limb belongs at the joint, not inside the torso.
  const seeds = boneSeeds(ref, TORSO_PULL);
  const reach = 1.5 * scale;
  for (let k = 0; k < BONE_COUNT; k++) {
    const seed = seeds[k]!;
    for (const [a, b] of seed.segments) seedSegment(front, k, a, b, reach, inside, grid);
    if (seed.polygon) seedPolygon(front, k, seed.polygon, inside, grid);
  }
  const slow = beyondHips(ref, limbCells, limbHalf, grid);
  spread(front, { w, h, scale, first, second, d1, d2 }, inside, widest, slow);
  return { x0: bx0, y0: by0, w, h, scale, first, second, d1, d2, widths, underCover };
}

// The steps below are separate functions, each one loop, for speed on the first setup: V8
// compiles a hot loop's function while it runs (on-stack replacement), and a long function with
// several loops was compiled again at each loop it had not reached yet (four times, ~100 ms of
// compiler time on AnimatedDrawings' char4).

/** The bounding box [x0, y0, x1, y1] (inclusive) of the pixels set in `domain`; undefined: none. */
function domainBox(
  domain: Uint8Array,
  width: number,
  height: number,
): [number, number, number, number] | undefined {
  let bx0 = width;
  let by0 = height;
  let bx1 = -1;
  let by1 = -1;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (domain[y * width + x] !== 0) {
        if (x < bx0) bx0 = x;
        if (x > bx1) bx1 = x;
        if (y < by0) by0 = y;
        by1 = y;
      }
  return bx1 < 0 ? undefined : [bx0, by0, bx1, by1];
}

/** Per grid cell, 1 where any of its pixels is set in `domain`. */
function insideCells(
  domain: Uint8Array,
  width: number,
  box: readonly [number, number, number, number],
  grid: LabelGrid,
): Uint8Array {
  const { x0, y0, w, h, scale } = grid;
  const inside = new Uint8Array(w * h);
  for (let y = y0; y <= box[3]; y++) {
    const row = Math.floor((y - y0) / scale) * w;
    for (let x = x0; x <= box[2]; x++)
      if (domain[y * width + x] !== 0) inside[row + Math.floor((x - x0) / scale)] = 1;
  }
  return inside;
}

/** Seeds part k on the inside cells within `reach` of the segment a–b. */
function seedSegment(
  front: PartFront,
  k: number,
  a: readonly [number, number],
  b: readonly [number, number],
  reach: number,
  inside: Uint8Array,
  grid: LabelGrid,
): void {
  const { x0, y0, w, scale } = grid;
  const { i0, i1, j0, j1 } = cellBox(
    Math.min(a[0], b[0]) - reach,
    Math.min(a[1], b[1]) - reach,
    Math.max(a[0], b[0]) + reach,
    Math.max(a[1], b[1]) + reach,
    grid,
  );
  for (let j = j0; j <= j1; j++)
    for (let i = i0; i <= i1; i++) {
      const c = j * w + i;
      if (inside[c] === 0) continue;
      const dd = distToSegment(x0 + (i + 0.5) * scale - 0.5, y0 + (j + 0.5) * scale - 0.5, a, b);
      if (dd <= reach) front.push(dd, c, k);
    }
}

/** Seeds part k at distance 0 on the inside cells whose centre is inside `poly`. */
function seedPolygon(
  front: PartFront,
  k: number,
  poly: readonly (readonly [number, number])[],
  inside: Uint8Array,
  grid: LabelGrid,
): void {
  const { x0, y0, w, scale } = grid;
  let px0 = Infinity;
  let py0 = Infinity;
  let px1 = -Infinity;
  let py1 = -Infinity;
  for (const p of poly) {
    px0 = Math.min(px0, p[0]);
    py0 = Math.min(py0, p[1]);
    px1 = Math.max(px1, p[0]);
    py1 = Math.max(py1, p[1]);
  }
  const { i0, i1, j0, j1 } = cellBox(px0, py0, px1, py1, grid);
  for (let j = j0; j <= j1; j++)
    for (let i = i0; i <= i1; i++) {
      const c = j * w + i;
      if (inside[c] === 0) continue;
      if (insidePolygon(x0 + (i + 0.5) * scale - 0.5, y0 + (j + 0.5) * scale - 0.5, poly))
        front.push(0, c, k);
    }
}

/** The grid cells whose centres may lie in the picture box [x0, x1] × [y0, y1], clipped. */
function cellBox(
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  g: LabelGrid,
): { i0: number; i1: number; j0: number; j1: number } {
  return {
    i0: Math.max(0, Math.floor((x0 - g.x0 + 0.5) / g.scale - 0.5)),
    j0: Math.max(0, Math.floor((y0 - g.y0 + 0.5) / g.scale - 0.5)),
    i1: Math.min(g.w - 1, Math.ceil((x1 - g.x0 + 0.5) / g.scale - 0.5)),
    j1: Math.min(g.h - 1, Math.ceil((y1 - g.y0 + 0.5) / g.scale - 0.5)),
  };
}

/** The wave fronts of all parts: a heap of (distance, cell·BONE_COUNT + part). */
class PartFront {
  /** Best tentative distance per (cell, part), so a part is pushed only when it improves. */
  readonly tentative: Float32Array;
  readonly heap = new MinHeap();
  /** Pushes held back because they lie beyond a limb's reach: (distance, cell·BONE_COUNT + part). */
  private readonly deferred: number[] = [];
  private capped = true;
  /** `limbCells`: per part, the cells it may claim while capped (`limbReach`); undefined: any. */
  constructor(
    cells: number,
    private readonly limbCells: readonly (Uint8Array | undefined)[],
  ) {
    this.tentative = new Float32Array(cells * BONE_COUNT).fill(Infinity);
  }

  push(dd: number, c: number, k: number): void {
    // Heap keys and tentative distances in one precision, so the stale check is exact.
    const d = Math.fround(dd);
    const t = c * BONE_COUNT + k;
    if (d >= this.tentative[t]!) return;
    const allowed = this.limbCells[k];
    if (this.capped && allowed && !allowed[c]) {
      this.deferred.push(d, t);
      return;
    }
    this.tentative[t] = d;
    this.heap.push(d, t);
  }

  /**
   * Once everything another part could reach is labelled, what is left goes to the limbs after
   * all: the held-back pushes into cells still missing a part. False when there were none.
   */
  release(first: Int8Array, second: Int8Array): boolean {
    if (!this.capped || this.deferred.length === 0) return false;
    this.capped = false;
    const held = this.deferred;
    for (let q = 0; q < held.length; q += 2) {
      const t = held[q + 1]!;
      const c = (t / BONE_COUNT) | 0;
      if (first[c] === -1 || second[c] === -1) this.push(held[q]!, c, t - c * BONE_COUNT);
    }
    held.length = 0;
    return true;
  }
}

type Grid = Omit<PartLabels, 'x0' | 'y0'>;

/**
 * Dijkstra over the cells (8-connected, steps of one cell or a diagonal): each cell takes the
 * first part to reach it, and the second when within `widest` of the first.
 */
function spread(
  front: PartFront,
  grid: Grid,
  inside: Uint8Array,
  widest: number,
  /** Cells where a torso step costs `BEYOND_HIP_COST` (`beyondHips`). */
  slow: Uint8Array | undefined,
): void {
  const { w, h, scale, first, second, d1, d2 } = grid;
  const { heap, tentative } = front;
  const diag = scale * Math.SQRT2;
  for (;;) {
    if (heap.size === 0) {
      if (front.release(first, second)) continue;
      break;
    }
    const t = heap.pop();
    const d = heap.topKey;
    if (d > tentative[t]!) continue;
    const c = (t / BONE_COUNT) | 0;
    const k = t - c * BONE_COUNT;
    if (first[c] === -1) {
      first[c] = k;
      d1[c] = d;
    } else if (second[c] === -1 && first[c] !== k && d - d1[c]! < widest && d >= d1[c]!) {
      // (A limb held back beyond its reach arrives late, maybe nearer than the part already
      // there: not a second to blend with, or the skin there would move with the held-back limb
      // — a skirt over the thighs tore along them.)
      second[c] = k;
      d2[c] = d;
    } else continue;
    const i = c % w;
    const j = (c - i) / w;
    for (let dj = -1; dj <= 1; dj++) {
      const jj = j + dj;
      if (jj < 0 || jj >= h) continue;
      for (let di = -1; di <= 1; di++) {
        const ii = i + di;
        if ((di === 0 && dj === 0) || ii < 0 || ii >= w) continue;
        const nb = jj * w + ii;
        if (!inside[nb] || second[nb] !== -1) continue;
        const step = di !== 0 && dj !== 0 ? diag : scale;
        const nd = d + (k === 0 && slow?.[nb] ? step * BEYOND_HIP_COST : step);
        if (first[nb] !== -1 && nd - d1[nb]! >= widest) continue;
        front.push(nd, nb, k);
      }
    }
  }
}
