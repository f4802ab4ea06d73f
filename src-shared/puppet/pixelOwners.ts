/**
 * Which parts may draw each picture pixel, resolved at (near) full resolution.
 *
 * The part weights live on a coarse grid (5 px cells at 512², 11 px at 1024²), so where a limb
 * hangs a few pixels beside the body (Sprout's bare upper arm and its shirt, 4–8 px apart below
 * the armpit) the coarse mask bridges the gap and the weights blend across it: the torso's edge
 * line carries 30–60% upper-arm weight and the arm's inner edge as much torso weight. Turned far
 * from the reference, the upper arm then carries that torso edge along as thin strands beside the
 * raised sleeve, and the torso keeps slivers of the sleeve at its side.
 *
 * Here the same seeds and seam widths as `partWeights` are propagated geodesically through the
 * picture's own pixels (8-connected, at most `MAX_SIDE` px on the long side), keeping the two
 * nearest parts of each pixel. A part owns a pixel when its geodesic distance is within its seam
 * width (plus `slack`) of the nearest part's — the support of its weight, minus whatever only a
 * coarse cell bridged. The compositor uses the result as a per-part alpha: a pixel drawn by part
 * k takes no colour from picture pixels k does not own.
 */
import { BONE_COUNT } from './bones';
import type { CoarseGrid } from './coarseGrid';
import {
  type ExtraSeeds,
  boneSeeds,
  distToSegment,
  insidePolygon,
  seamWidth,
  TORSO_SEAM,
} from './partWeights';
import { MinHeap } from './minHeap';

/** Long side of the grid the owners are solved on; larger pictures are solved downscaled. */
export const MAX_SIDE = 512;
/** Every part's bit: pixels no seed reaches (a detached prop) may be drawn by any part. */
export const ALL_PARTS = (1 << BONE_COUNT) - 1;
/** Nearest parts kept per pixel: two meet at a seam; a third adds only a sliver at junctions. */
const LABELS = 2;

/**
 * Per picture pixel, a bitmask of the parts (bit k = bone k) that own it (all parts outside `layer`).
 * `layer` is the picture's character layer (pixels with alpha > 0), W×H.
 */
export function pixelOwners(
  ref: Float64Array,
  layer: Uint8Array,
  width: number,
  height: number,
  grid: CoarseGrid,
  extra: ExtraSeeds = [],
  slack = 0.5 * grid.stride,
): Uint16Array {
  // Outside the layer every part "owns" the (transparent) pixels: they add nothing either way,
  // and the compositor's fast path then only leaves it for taps that really mix parts.
  const out = new Uint16Array(width * height).fill(ALL_PARTS);
  // Solved over the layer's bounding box only, on cells of `scale` picture pixels (at most
  // MAX_SIDE per side of the picture).
  let bx0 = width;
  let by0 = height;
  let bx1 = -1;
  let by1 = -1;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (layer[y * width + x]) {
        if (x < bx0) bx0 = x;
        if (x > bx1) bx1 = x;
        if (y < by0) by0 = y;
        by1 = y;
      }
  if (bx1 < 0) return out;
  const scale = Math.max(1, Math.ceil(Math.max(width, height) / MAX_SIDE));
  const w = Math.ceil((bx1 - bx0 + 1) / scale);
  const h = Math.ceil((by1 - by0 + 1) / scale);
  const n = w * h;
  const inside = new Uint8Array(n);
  for (let y = by0; y <= by1; y++)
    for (let x = bx0; x <= bx1; x++)
      if (layer[y * width + x])
        inside[Math.floor((y - by0) / scale) * w + Math.floor((x - bx0) / scale)] = 1;
  // Distances in picture pixels throughout (a cell centre sits at (i + 0.5)·scale − 0.5 + box).
  const atX = (i: number) => bx0 + (i + 0.5) * scale - 0.5;
  const atY = (j: number) => by0 + (j + 0.5) * scale - 0.5;
  const seam = seamWidth(ref, grid);
  const seeds = boneSeeds(ref, extra);
  // Seeds are the cells within a cell and a half of the seed geometry: the geodesic solve then
  // spreads from them at (near) full resolution (the coarse grid needs 0.75 of its stride).
  const reach = 1.5 * scale;

  // The two nearest parts of each cell: settled labels and distances, LABELS slots per cell.
  const label = new Int8Array(n * LABELS).fill(-1);
  const dist = new Float32Array(n * LABELS);
  const count = new Uint8Array(n);
  // Best tentative distance per (cell, part), so a part is pushed only when it improves.
  const tentative = new Float32Array(n * BONE_COUNT).fill(Infinity);
  const heap = new MinHeap();
  const push = (dd: number, c: number, k: number) => {
    // Heap keys and tentative distances in one precision, so the stale check is exact.
    const d = Math.fround(dd);
    const t = c * BONE_COUNT + k;
    if (d >= tentative[t]!) return;
    tentative[t] = d;
    heap.push(d, t);
  };
  for (let k = 0; k < BONE_COUNT; k++) {
    const seed = seeds[k]!;
    const shapes: { box: [number, number, number, number]; d: (x: number, y: number) => number }[] =
      seed.segments.map(([a, b]) => ({
        box: [
          Math.min(a[0], b[0]) - reach,
          Math.min(a[1], b[1]) - reach,
          Math.max(a[0], b[0]) + reach,
          Math.max(a[1], b[1]) + reach,
        ],
        d: (x, y) => distToSegment(x, y, a, b),
      }));
    const poly = seed.polygon;
    if (poly)
      shapes.push({
        box: [
          Math.min(...poly.map((p) => p[0])),
          Math.min(...poly.map((p) => p[1])),
          Math.max(...poly.map((p) => p[0])),
          Math.max(...poly.map((p) => p[1])),
        ],
        d: (x, y) => (insidePolygon(x, y, poly) ? 0 : Infinity),
      });
    for (const { box, d } of shapes) {
      const i0 = Math.max(0, Math.floor((box[0] - bx0 + 0.5) / scale - 0.5));
      const j0 = Math.max(0, Math.floor((box[1] - by0 + 0.5) / scale - 0.5));
      const i1 = Math.min(w - 1, Math.ceil((box[2] - bx0 + 0.5) / scale - 0.5));
      const j1 = Math.min(h - 1, Math.ceil((box[3] - by0 + 0.5) / scale - 0.5));
      for (let j = j0; j <= j1; j++)
        for (let i = i0; i <= i1; i++) {
          const c = j * w + i;
          if (!inside[c]) continue;
          const dd = d(atX(i), atY(j));
          if (dd <= reach) push(dd, c, k);
        }
    }
  }
  const step = scale;
  const diag = scale * Math.SQRT2;
  // A second part further than this beyond the nearest owns nothing there (see the bits below):
  // its wave stops, so it does not flood the whole character.
  const widest = seam + slack;
  while (heap.size > 0) {
    const t = heap.pop();
    const d = heap.topKey;
    if (d > tentative[t]!) continue;
    const c = (t / BONE_COUNT) | 0;
    const k = t - c * BONE_COUNT;
    const m = count[c]!;
    if (m >= LABELS || (m > 0 && d - dist[c * LABELS]! >= widest)) continue;
    label[c * LABELS + m] = k;
    dist[c * LABELS + m] = d;
    count[c] = m + 1;
    const i = c % w;
    const j = (c - i) / w;
    for (let dj = -1; dj <= 1; dj++) {
      const jj = j + dj;
      if (jj < 0 || jj >= h) continue;
      for (let di = -1; di <= 1; di++) {
        const ii = i + di;
        if ((di === 0 && dj === 0) || ii < 0 || ii >= w) continue;
        const nb = jj * w + ii;
        const cn = count[nb]!;
        if (!inside[nb] || cn >= LABELS) continue;
        const nd = d + (di !== 0 && dj !== 0 ? diag : step);
        if (cn > 0 && nd - dist[nb * LABELS]! >= widest) continue;
        push(nd, nb, k);
      }
    }
  }

  // Bits: the nearest part, and the second where it is within its seam width (+ slack).
  const bits = new Uint16Array(n);
  for (let c = 0; c < n; c++) {
    if (!inside[c]) continue;
    if (count[c] === 0) {
      bits[c] = ALL_PARTS;
      continue;
    }
    const k0 = label[c * LABELS]!;
    let b = 1 << k0;
    for (let s = 1; s < count[c]!; s++) {
      const k = label[c * LABELS + s]!;
      const width = k === 0 || k0 === 0 ? seam * TORSO_SEAM : seam;
      if (dist[c * LABELS + s]! - dist[c * LABELS]! < width + slack) b |= 1 << k;
    }
    bits[c] = b;
  }
  // A silhouette walk (see silhouetteSeeds) crossed only its own part: there the parts that walk
  // (torso and upper arms) do not share pixels. Round the tip of the gap under an armpit the
  // geodesic seam band would otherwise reach both banks — the shirt's edge and the sleeve's.
  const walkers = extra.reduce((m, segs, k) => (segs.length > 0 ? m | (1 << k) : m), 0);
  extra.forEach((segs, k) => {
    const others = walkers & ~(1 << k);
    for (const [a, b] of segs) {
      const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
      const steps = Math.max(1, Math.ceil((2 * len) / scale));
      for (let q = 0; q <= steps; q++) {
        const i = Math.round((a[0] + ((b[0] - a[0]) * q) / steps - bx0 + 0.5) / scale - 0.5);
        const j = Math.round((a[1] + ((b[1] - a[1]) * q) / steps - by0 + 0.5) / scale - 0.5);
        for (let jj = Math.max(0, j - 1); jj <= Math.min(h - 1, j + 1); jj++)
          for (let ii = Math.max(0, i - 1); ii <= Math.min(w - 1, i + 1); ii++) {
            const c = jj * w + ii;
            if (inside[c] && bits[c] !== ALL_PARTS && bits[c]! & (1 << k)) bits[c]! &= ~others;
          }
      }
    }
  });
  for (let y = by0; y <= by1; y++) {
    const row = Math.floor((y - by0) / scale) * w;
    for (let x = bx0; x <= bx1; x++)
      if (layer[y * width + x]) out[y * width + x] = bits[row + Math.floor((x - bx0) / scale)]!;
  }
  return out;
}
