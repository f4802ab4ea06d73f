/**
 * How far a limb's part may reach from its bone. The parts spread geodesically through the
 * character's pixels (`partLabels`), so without a bound a limb takes whatever lies nearer to it than
 * to any other seed: on a drawing whose rig has more limbs than the pose (a six-armed creature's
 * other arms, an animal's rump behind its hind leg) the extra arms and the rump became part of the
 * mapped arm or thigh and swung away with it, tearing the body in two. A limb keeps the pixels
 * along its own bone — within a few of its own half-widths of its joint segment, and not behind the
 * joint it hangs from — and whatever else only the limb can reach (`partLabels` hands that back to
 * it after every other part has spread), so an unmapped appendage rides with the body part it
 * grows from.
 */
import { Joint } from '#shared/pose/skeleton';
import { BONES, BONE_COUNT, point } from './bones';
import { type CoveredLeg, coveredLength } from './coveredLegs';
import { type LabelGrid, segmentCellBox } from './labelGrid';

/** A limb reaches this many of its half-widths from its bone's axis. */
export const REACH_HALF_WIDTHS = 3;

/** …and at least this fraction of its bone's length (a curved forearm). */
export const REACH_LENGTH = 0.5;

/** A leg under a skirt reaches this many of its half-widths where it shows. */
export const COVERED_REACH_HALF_WIDTHS = 2;

type P = readonly [number, number];

/**
 * Chamfer distance (3-4) from each inside cell to the nearest outside cell, in cells: the
 * character's local half-width.
 */
export function halfWidths(inside: Uint8Array, w: number, h: number): Float32Array {
  // Outside the grid counts as outside: the forward pass starts from 0 beyond the top/left edges,
  // the backward pass beyond the bottom/right ones.
  const d = new Float32Array(w * h);
  for (let j = 0; j < h; j++)
    for (let i = 0; i < w; i++) {
      const c = j * w + i;
      if (!inside[c]) continue;
      let v = i > 0 ? d[c - 1]! + 3 : 3;
      if (j > 0) {
        v = Math.min(v, d[c - w]! + 3);
        v = Math.min(v, i > 0 ? d[c - w - 1]! + 4 : 4);
        v = Math.min(v, i < w - 1 ? d[c - w + 1]! + 4 : 4);
      } else v = 3;
      d[c] = v;
    }
  for (let j = h - 1; j >= 0; j--)
    for (let i = w - 1; i >= 0; i--) {
      const c = j * w + i;
      if (!inside[c]) continue;
      let v = d[c]!;
      v = Math.min(v, i < w - 1 ? d[c + 1]! + 3 : 3);
      if (j < h - 1) {
        v = Math.min(v, d[c + w]! + 3);
        v = Math.min(v, i < w - 1 ? d[c + w + 1]! + 4 : 4);
        v = Math.min(v, i > 0 ? d[c + w - 1]! + 4 : 4);
      } else v = Math.min(v, 3);
      d[c] = v;
    }
  for (let i = 0; i < d.length; i++) d[i] = d[i]! / 3;
  return d;
}

/** The two segments of each limb (upper, lower) by the joints that define them. */
const CHAINS: readonly (readonly [number, number, number])[] = [
  [Joint.rShoulder, Joint.rElbow, Joint.rWrist],
  [Joint.lShoulder, Joint.lElbow, Joint.lWrist],
  [Joint.rHip, Joint.rKnee, Joint.rAnkle],
  [Joint.lHip, Joint.lKnee, Joint.lAnkle],
];

/**
 * A limb's half-width (picture pixels): the median of the character's half-width (`widths`, per
 * cell) sampled along the limb's segments (`pts`: its joints, undefined where missing); undefined
 * when no sample lies inside.
 */
function chainHalfWidth(
  pts: readonly (P | undefined)[],
  widths: Float32Array,
  grid: LabelGrid,
): number | undefined {
  const { x0, y0, w, h, scale } = grid;
  const samples: number[] = [];
  for (let s = 0; s + 1 < pts.length; s++) {
    const a = pts[s];
    const b = pts[s + 1];
    if (!a || !b) continue;
    for (let t = 0.1; t < 1; t += 0.1) {
      const i = Math.floor((a[0] + (b[0] - a[0]) * t + 0.5 - x0) / scale);
      const j = Math.floor((a[1] + (b[1] - a[1]) * t + 0.5 - y0) / scale);
      if (i < 0 || j < 0 || i >= w || j >= h) continue;
      const v = widths[j * w + i]!;
      if (v > 0) samples.push(v);
    }
  }
  if (samples.length === 0) return undefined;
  samples.sort((u, v) => u - v);
  return samples[samples.length >> 1]!;
}

/**
 * Per bone, the cells of the label grid it may claim while other parts are still spreading (1), or
 * undefined for a bone without a bound (torso, head, hands, feet, a limb with a missing point).
 * `widths`: the character's half-width per cell, picture pixels. A limb's half-width is the median
 * of that along its two segments (a limb drawn thick reaches further); the bones hanging from the
 * torso (upper arms, thighs) may not reach more than that half-width behind their joint.
 */
export function limbReach(
  ref: Float64Array,
  widths: Float32Array,
  grid: LabelGrid,
  /** Set per thigh whose leg comes out from under a skirt or dress (it slides under it). */
  underCover?: Uint8Array,
  /** Set per limb bone to its limb's half-width (picture pixels), where it has reach cells. */
  limbHalf?: Float64Array,
): (Uint8Array | undefined)[] {
  const out: (Uint8Array | undefined)[] = BONES.map(() => undefined);
  let inside: Uint8Array | undefined;
  for (const chain of CHAINS) {
    const pts = chain.map((j) => point(ref, j));
    // A leg under a skirt or dress claims only below it (coveredLegs.ts), and only its own width
    // beside its bone: the skirt's hem beside it is the skirt's.
    let covered: CoveredLeg | undefined;
    if (chain[0] === Joint.rHip || chain[0] === Joint.lHip) {
      inside ??= Uint8Array.from(widths, (v) => (v > 0 ? 1 : 0));
      covered = coveredLength(pts[0], pts[1], pts[2], inside, grid);
      if (covered && underCover)
        underCover[BONES.findIndex((b) => b.segment?.[0] === chain[0])] = 1;
    }
    const half = chainHalfWidth(pts, widths, grid);
    if (half === undefined) continue;
    for (let k = 0; k < BONE_COUNT; k++) {
      const seg = BONES[k]!.segment;
      if (!seg || !chain.includes(seg[0]) || !chain.includes(seg[1])) continue;
      const a = point(ref, seg[0]);
      const b = point(ref, seg[1]);
      if (!a || !b) continue;
      // A drawn limb bends along its length: it reaches half its length from its straight bone too.
      const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
      let reach = Math.max(REACH_HALF_WIDTHS * half, REACH_LENGTH * len);
      let behind = BONES[k]!.parent === 0 ? half : Infinity;
      if (covered) {
        reach = COVERED_REACH_HALF_WIDTHS * covered.half;
        // Signed: a negative distance behind the joint is a start past it.
        const upper = seg[0] === chain[0];
        const before = upper ? 0 : Math.hypot(pts[1]![0] - pts[0]![0], pts[1]![1] - pts[0]![1]);
        if (covered.length > before) behind = before - covered.length;
      }
      out[k] = reachCells(a, b, reach, behind, grid);
      if (limbHalf) limbHalf[k] = half;
    }
  }
  return out;
}

/**
 * The cells within `reach` of segment a–b and at most `behind` before a along it (a negative
 * `behind`: only from that far past a; past b, none).
 */
function reachCells(a: P, b: P, reach: number, behind: number, g: LabelGrid): Uint8Array {
  const { x0, y0, w, h, scale } = g;
  const cells = new Uint8Array(w * h);
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const l2 = dx * dx + dy * dy;
  const len = Math.sqrt(l2);
  const r2 = reach * reach;
  // Along the bone, t·len is the distance past a; t < −behind/len is too far behind the joint.
  const tMin = len > 0 ? -behind / len : -Infinity;
  const { i0, i1, j0, j1 } = segmentCellBox(a, b, reach, g);
  // Plain arithmetic in the loop (no calls): it runs once per setup, mostly before V8 optimises it.
  for (let j = j0; j <= j1; j++) {
    const py = y0 + (j + 0.5) * scale - 0.5 - a[1];
    for (let i = i0; i <= i1; i++) {
      const px = x0 + (i + 0.5) * scale - 0.5 - a[0];
      const t = l2 > 0 ? (px * dx + py * dy) / l2 : 0;
      if (t < tMin) continue;
      const u = t < 0 ? 0 : t > 1 ? 1 : t;
      const ex = px - u * dx;
      const ey = py - u * dy;
      if (ex * ex + ey * ey <= r2) cells[j * w + i] = 1;
    }
  }
  return cells;
}
