/**
 * The area a moved limb uncovered, where the "no leftover limb" check looks: the limb's pixels in
 * the picture that its cover in the frame leaves, minus the seams at its joints, where limb and
 * body (or the limb's two segments) rightly both draw.
 */
import { Joint } from '#shared/pose/skeleton';
import {
  LIMB_ROOT,
  type LimbGroup,
  type PartLabels,
  jointAt as pt,
  jointPresent as has,
} from './limbs';
import { dilate } from '../mask';

/** The joint a limb group bends at (elbow, knee). */
export const LIMB_BEND: Record<LimbGroup, number> = {
  rightArm: Joint.rElbow,
  leftArm: Joint.lElbow,
  rightLeg: Joint.rKnee,
  leftLeg: Joint.lKnee,
};

/** A seam the leftover check leaves out: a disc at (x, y) of at least radius r (px). */
export type Seam = readonly [x: number, y: number, r: number];

/** The character's half-width at (x, y) in the picture's mask: distance to the nearest outside pixel. */
function halfWidthAt(
  mask: Uint8Array,
  width: number,
  height: number,
  x: number,
  y: number,
): number {
  const cx = Math.round(x);
  const cy = Math.round(y);
  for (let r = 1; r < Math.max(width, height); r++)
    for (let dy = -r; dy <= r; dy++)
      for (let dx = -r; dx <= r; dx++) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) !== r) continue;
        const u = cx + dx;
        const v = cy + dy;
        if (u < 0 || v < 0 || u >= width || v >= height || !mask[v * width + u]) return r;
      }
  return 0;
}

/** The joint a limb group ends at (wrist, ankle). */
export const LIMB_END: Record<LimbGroup, number> = {
  rightArm: Joint.rWrist,
  leftArm: Joint.lWrist,
  rightLeg: Joint.rAnkle,
  leftLeg: Joint.lAnkle,
};

/** How far past the limb's half-width at a joint the joint's seam reaches. */
const JOINT_SEAM_HALF_WIDTHS = 1.25;

/**
 * Where a limb's seams are in the frame: the joint it turns about (as in the picture: the body
 * barely moves there) and the joints it bends at, elbow and wrist or knee and ankle (where the
 * target puts them; reaching a little past the limb's half-width there in the picture `mask`),
 * those present.
 */
export function limbSeams(
  g: LimbGroup,
  ref: Float64Array,
  target: Float64Array,
  mask: Uint8Array,
  width: number,
  height: number,
): Seam[] {
  const out: Seam[] = [];
  if (has(ref, LIMB_ROOT[g])) out.push([...pt(ref, LIMB_ROOT[g]), 0]);
  for (const j of [LIMB_BEND[g], LIMB_END[g]]) {
    if (!has(ref, j) || !has(target, j)) continue;
    const [x, y] = pt(ref, j);
    out.push([...pt(target, j), JOINT_SEAM_HALF_WIDTHS * halfWidthAt(mask, width, height, x, y)]);
  }
  return out;
}

/**
 * The area a limb uncovered: its labelled pixels in the picture, minus where it is in the frame
 * (grown by `margin` px for resampling blur), minus a disc of `seamRadius` (or the seam's own
 * radius, if larger) around each of `seams`:
 * the joint it turns about (where limb and body meet, both may rightly draw) and the one it bends
 * at (where the skin bends smoothly, a piecewise-rigid cover leaves a wedge the skin rightly
 * fills, as far from the joint as the limb is wide: the knee of AnimatedDrawings' plump char1,
 * legs 90 px wide, 7% of its walk's uncovered area).
 */
export function uncoveredArea(
  parts: PartLabels,
  cover: Uint8Array,
  width: number,
  height: number,
  label: number,
  seams: readonly Seam[],
  seamRadius: number,
  margin = 2,
): Uint8Array {
  const grown = dilate(cover, width, height, margin);
  const seam = seamDiscs(seams, seamRadius, width, height);
  const out = new Uint8Array(cover.length);
  for (let i = 0; i < out.length; i++)
    out[i] = parts.label[i] === label && !grown[i] && !seam[i] ? 1 : 0;
  return out;
}

/** The pixels within each seam's radius (at least `seamRadius`) of it. */
export function seamDiscs(
  seams: readonly Seam[],
  seamRadius: number,
  width: number,
  height: number,
): Uint8Array {
  const out = new Uint8Array(width * height);
  for (const [sx, sy, r0] of seams) {
    const r = Math.max(r0, seamRadius);
    for (let y = Math.max(0, Math.floor(sy - r)); y <= Math.min(height - 1, sy + r); y++)
      for (let x = Math.max(0, Math.floor(sx - r)); x <= Math.min(width - 1, sx + r); x++)
        if (Math.hypot(x - sx, y - sy) < r) out[y * width + x] = 1;
  }
  return out;
}
