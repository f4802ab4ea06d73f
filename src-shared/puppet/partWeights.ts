/**
 * Per-bone weights of the reference picture on the coarse grid ("which part is this pixel").
 *
 * Each bone is seeded along its reference geometry (limb segment, torso quad, head, hand, foot);
 * distances are geodesic inside the character's mask, so an arm near the body stays the arm as
 * long as a gap separates them. Where two parts meet, the weights blend linearly over `seam`
 * pixels (soft seams bend smoothly); elsewhere a pixel belongs to one bone (head and hands stay
 * rigid). Outside the mask the weights are carried over a band of `band` cells and faded out, so
 * the warp is defined just beyond the silhouette and the graph's gate can close cleanly.
 */
import { Joint } from '#shared/pose/skeleton';
import { BONES, BONE_COUNT, point } from './bones';
import type { CoarseGrid } from './coarseGrid';
import { MinHeap } from './minHeap';

type P = readonly [number, number];

export interface Seed {
  segments: (readonly [P, P])[];
  polygon?: P[];
}

const lerp = (a: P, b: P, t: number): P => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
const mid = (a: P, b: P): P => lerp(a, b, 0.5);

export function distToSegment(x: number, y: number, a: P, b: P): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const l2 = dx * dx + dy * dy;
  const t = l2 > 0 ? Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / l2)) : 0;
  return Math.hypot(x - a[0] - t * dx, y - a[1] - t * dy);
}

export function insidePolygon(x: number, y: number, poly: P[]): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i]!;
    const [xj, yj] = poly[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Extra seed segments per bone (e.g. `silhouetteSeeds`), indexed by bone. */
export type ExtraSeeds = readonly (readonly (readonly [P, P])[])[];

/**
 * Reference geometry of each bone, from the reference pose (missing points → no seed), plus any
 * `extra` segments.
 */
export function boneSeeds(ref: Float64Array, extra: ExtraSeeds = [], torsoPull = 0.35): Seed[] {
  const pt = (i: number) => point(ref, i);
  const seeds: Seed[] = BONES.map(() => ({ segments: [] }));
  const neck = pt(Joint.neck);
  const rHip = pt(Joint.rHip);
  const lHip = pt(Joint.lHip);
  const midHip = rHip && lHip ? mid(rHip, lHip) : (rHip ?? lHip);
  // Torso: the shoulder–hip quad and the spine.
  const quad = [pt(Joint.rShoulder), pt(Joint.lShoulder), lHip, rHip].filter(
    (p): p is [number, number] => p !== undefined,
  );
  // The quad is pulled 35% toward its centre: a pixel near the hip or shoulder line is then closer
  // to the limb axis than to the torso, so seams sit at the joints instead of inside the limbs.
  if (quad.length >= 3) {
    const cx = quad.reduce((a, p) => a + p[0], 0) / quad.length;
    const cy = quad.reduce((a, p) => a + p[1], 0) / quad.length;
    seeds[0]!.polygon = quad.map(
      (p) => [p[0] + (cx - p[0]) * torsoPull, p[1] + (cy - p[1]) * torsoPull] as const,
    );
  }
  if (neck && midHip) seeds[0]!.segments.push([neck, midHip]);
  else if (neck) seeds[0]!.segments.push([neck, neck]);
  // Head: from the nose up over the skull, plus eyes, ears and face points.
  const nose = pt(Joint.nose);
  // The neck between the shoulders' line and the nose moves with the head (a drawing's neck stick
  // is otherwise nearer an arm's shoulder than the spine and would leave with the arm).
  if (nose && neck) seeds[1]!.segments.push([lerp(neck, nose, 0.3), lerp(neck, nose, 1.6)]);
  for (const i of BONES[1]!.fitPoints!) {
    if (i === Joint.neck) continue;
    const p = pt(i);
    if (p) seeds[1]!.segments.push([p, p]);
  }
  // Limbs: their joint segments.
  for (let k = 0; k < BONE_COUNT; k++) {
    const seg = BONES[k]!.segment;
    if (!seg) continue;
    const a = pt(seg[0]);
    const b = pt(seg[1]);
    if (a && b) seeds[k]!.segments.push([a, b]);
  }
  // Hands and feet: their own points, else a stub continuing the limb past the wrist / ankle.
  const extremity = (k: number, joint: number, parentJoint: number, from: number, to: number) => {
    const j = pt(joint);
    if (!j) return;
    const own = BONES[k]!.fitPoints!.slice(1)
      .map(pt)
      .filter((p): p is [number, number] => p !== undefined);
    if (own.length > 0) {
      for (const p of own) seeds[k]!.segments.push([p, p]);
      return;
    }
    const pj = pt(parentJoint);
    if (pj) seeds[k]!.segments.push([lerp(pj, j, from), lerp(pj, j, to)]);
  };
  extremity(10, Joint.rWrist, Joint.rElbow, 1.2, 1.45);
  extremity(11, Joint.lWrist, Joint.lElbow, 1.2, 1.45);
  extremity(12, Joint.rAnkle, Joint.rKnee, 1.15, 1.3);
  extremity(13, Joint.lAnkle, Joint.lKnee, 1.15, 1.3);
  extra.forEach((segments, k) => seeds[k]?.segments.push(...segments));
  return seeds;
}

/** Seams between the torso and a limb or the head, relative to the others. */
export const TORSO_SEAM = 0.4;

/** Seam width in pixels, from the body's scale in the reference pose. */
export function seamWidth(ref: Float64Array, grid: CoarseGrid): number {
  const neck = point(ref, Joint.neck);
  const hips = [point(ref, Joint.rHip), point(ref, Joint.lHip)].filter((p) => p !== undefined);
  let torso = 0;
  if (neck && hips.length > 0) {
    const h = hips.reduce((a, b) => [a[0] + b[0] / hips.length, a[1] + b[1] / hips.length], [0, 0]);
    torso = Math.hypot(h[0] - neck[0], h[1] - neck[1]);
  }
  return Math.max(2 * grid.stride, 0.08 * torso);
}

/** Geodesic distance (pixels) inside the coarse mask from a bone's seed geometry. */
function geodesic(seed: Seed, mask: Uint8Array, grid: CoarseGrid): Float64Array {
  const { w, h, stride } = grid;
  // Float64: a float32 store would round keys below the heap's and skip nodes.
  const dist = new Float64Array(w * h).fill(Infinity);
  const heap = new MinHeap();
  if (seed.segments.length === 0 && !seed.polygon) return dist;
  const reach = stride * 0.75;
  // Each segment's box grown by `reach`: a point outside it cannot be seeded by that segment.
  const boxes = seed.segments.map(([a, b]) => [
    Math.min(a[0], b[0]) - reach,
    Math.min(a[1], b[1]) - reach,
    Math.max(a[0], b[0]) + reach,
    Math.max(a[1], b[1]) + reach,
  ]);
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      const c = j * w + i;
      if (!mask[c]) continue;
      const x = i * stride;
      const y = j * stride;
      let d = Infinity;
      if (seed.polygon && insidePolygon(x, y, seed.polygon)) d = 0;
      seed.segments.forEach(([a, b], s) => {
        const box = boxes[s]!;
        if (x < box[0]! || y < box[1]! || x > box[2]! || y > box[3]!) return;
        d = Math.min(d, distToSegment(x, y, a, b));
      });
      if (d <= reach) {
        dist[c] = d;
        heap.push(d, c);
      }
    }
  }
  const diag = stride * Math.SQRT2;
  while (heap.size > 0) {
    const c = heap.pop();
    const d = heap.topKey;
    if (d > dist[c]!) continue;
    const i = c % w;
    const j = (c - i) / w;
    for (let dj = -1; dj <= 1; dj++) {
      const jj = j + dj;
      if (jj < 0 || jj >= h) continue;
      for (let di = -1; di <= 1; di++) {
        const ii = i + di;
        if ((di === 0 && dj === 0) || ii < 0 || ii >= w) continue;
        const n = jj * w + ii;
        if (!mask[n]) continue;
        const nd = d + (di !== 0 && dj !== 0 ? diag : stride);
        if (nd < dist[n]!) {
          dist[n] = nd;
          heap.push(nd, n);
        }
      }
    }
  }
  return dist;
}

export interface PartWeights {
  /** K planes of w·h weights, bone-major (the graph's [K,1,h,w] layout). */
  readonly weights: Float32Array;
  /** Per bone, the reference-space bounding box of its support [x0, y0, x1, y1], or undefined. */
  readonly boxes: ([number, number, number, number] | undefined)[];
}

/**
 * Weights per bone on the coarse grid; `band` cells outside the mask fade to zero; `extra` seeds
 * join the bones' own (see silhouetteSeeds).
 */
export function partWeights(
  ref: Float64Array,
  mask: Uint8Array,
  grid: CoarseGrid,
  band = 0,
  extra: ExtraSeeds = [],
): PartWeights {
  const { w, h, stride } = grid;
  const n = w * h;
  const seeds = boneSeeds(ref, extra);
  const seam = seamWidth(ref, grid);
  const dists = seeds.map((s) => geodesic(s, mask, grid));
  const weights = new Float32Array(BONE_COUNT * n);
  const raw = new Float64Array(BONE_COUNT);
  for (let c = 0; c < n; c++) {
    if (!mask[c]) continue;
    let dmin = Infinity;
    let nearest = 0;
    for (let k = 0; k < BONE_COUNT; k++)
      if (dists[k]![c]! < dmin) {
        dmin = dists[k]![c]!;
        nearest = k;
      }
    if (!Number.isFinite(dmin)) {
      // A piece of the mask no seed reaches (e.g. a detached prop): nearest bone as the crow flies.
      const x = (c % w) * stride;
      const y = Math.floor(c / w) * stride;
      let best = 0;
      let bestD = Infinity;
      for (let k = 0; k < BONE_COUNT; k++)
        for (const [a, b] of seeds[k]!.segments) {
          const d = distToSegment(x, y, a, b);
          if (d < bestD) {
            bestD = d;
            best = k;
          }
        }
      weights[best * n + c] = 1;
      continue;
    }
    let sum = 0;
    for (let k = 0; k < BONE_COUNT; k++) {
      // Seams with the torso are narrower: shoulders and hips turn furthest, and a wide blend
      // there smears the torso's corners along with the limb.
      const width = k === 0 || nearest === 0 ? seam * TORSO_SEAM : seam;
      const r = Math.max(0, 1 - (dists[k]![c]! - dmin) / width);
      raw[k] = r;
      sum += r;
    }
    for (let k = 0; k < BONE_COUNT; k++) weights[k * n + c] = raw[k]! / sum;
  }
  if (band > 0) extendIntoBand(weights, mask, grid, band);
  const boxes: PartWeights['boxes'] = [];
  for (let k = 0; k < BONE_COUNT; k++) {
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (let c = 0; c < n; c++) {
      if (weights[k * n + c]! <= 0) continue;
      const x = (c % w) * stride;
      const y = Math.floor(c / w) * stride;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
    boxes.push(Number.isFinite(x0) ? [x0, y0, x1, y1] : undefined);
  }
  return { weights, boxes };
}

/** Copies each mask cell's weights outward (BFS, 8-neighbours) and fades them over the band. */
function extendIntoBand(weights: Float32Array, mask: Uint8Array, grid: CoarseGrid, band: number) {
  const { w, h } = grid;
  const n = w * h;
  const ring = new Int32Array(n).fill(-1);
  const from = new Int32Array(n).fill(-1);
  let frontier: number[] = [];
  for (let c = 0; c < n; c++)
    if (mask[c]) {
      ring[c] = 0;
      from[c] = c;
      frontier.push(c);
    }
  for (let r = 1; r <= band && frontier.length > 0; r++) {
    const next: number[] = [];
    for (const c of frontier) {
      const i = c % w;
      const j = (c - i) / w;
      for (let dj = -1; dj <= 1; dj++)
        for (let di = -1; di <= 1; di++) {
          const ii = i + di;
          const jj = j + dj;
          if (ii < 0 || jj < 0 || ii >= w || jj >= h) continue;
          const m = jj * w + ii;
          if (ring[m]! >= 0) continue;
          ring[m] = r;
          from[m] = from[c]!;
          next.push(m);
        }
    }
    frontier = next;
  }
  // Full weight for the first band−2 rings, then a linear fade to zero at ring `band`.
  const full = Math.max(1, band - 2);
  for (let c = 0; c < n; c++) {
    const r = ring[c]!;
    if (r <= 0) continue;
    const fade = r <= full ? 1 : Math.max(0, 1 - (r - full) / (band - full));
    const src = from[c]!;
    for (let k = 0; k < BONE_COUNT; k++) weights[k * n + c] = weights[k * n + src]! * fade;
  }
}
