import { Joint } from '#shared/pose/skeleton';
import { STRIDE } from '#shared/pose/types';
import { ATTACHMENTS, pointXY, present, rotateInPlace, translateInPlace } from './kinematics';

/** A two-bone limb: root (shoulder/hip) → middle (elbow/knee) → end effector (wrist/ankle). */
export interface TwoBoneLimb {
  readonly root: number;
  readonly middle: number;
  readonly end: number;
}

export const TWO_BONE_LIMBS: readonly TwoBoneLimb[] = [
  { root: Joint.rShoulder, middle: Joint.rElbow, end: Joint.rWrist },
  { root: Joint.lShoulder, middle: Joint.lElbow, end: Joint.lWrist },
  { root: Joint.rHip, middle: Joint.rKnee, end: Joint.rAnkle },
  { root: Joint.lHip, middle: Joint.lKnee, end: Joint.lAnkle },
];

export function limbEndingAt(joint: number): TwoBoneLimb | undefined {
  return TWO_BONE_LIMBS.find((l) => l.end === joint);
}

export interface TwoBoneSolution {
  middle: [number, number];
  end: [number, number];
  /** False when the target was out of reach and the end effector was clamped. */
  reached: boolean;
}

/**
 * Analytic two-bone IK in the plane. Bone lengths are kept; the middle joint stays on the side it
 * bends to now (`bend` = sign of the cross product root→end × root→middle, +1 when straight).
 * A target beyond reach (or too close to the root) is clamped onto the reachable annulus along the
 * root→target direction.
 */
export function solveTwoBone(
  root: readonly [number, number],
  middle: readonly [number, number],
  end: readonly [number, number],
  target: readonly [number, number],
): TwoBoneSolution {
  const [ax, ay] = root;
  const l1 = Math.hypot(middle[0] - ax, middle[1] - ay);
  const l2 = Math.hypot(end[0] - middle[0], end[1] - middle[1]);
  const cross = (end[0] - ax) * (middle[1] - ay) - (end[1] - ay) * (middle[0] - ax);
  const bend = cross < 0 ? -1 : 1;

  let ux = target[0] - ax;
  let uy = target[1] - ay;
  const d = Math.hypot(ux, uy);
  if (d < 1e-9) {
    // Target on the root: keep the current direction of the limb (or of the upper bone).
    const straight = Math.hypot(end[0] - ax, end[1] - ay) >= 1e-9;
    ux = straight ? end[0] - ax : middle[0] - ax;
    uy = straight ? end[1] - ay : middle[1] - ay;
  }
  const norm = Math.hypot(ux, uy) || 1;
  ux /= norm;
  uy /= norm;

  const maxReach = l1 + l2;
  const minReach = Math.abs(l1 - l2);
  const dc = Math.min(Math.max(d, minReach), maxReach);
  const reached = Math.abs(dc - d) < 1e-9;

  // Law of cosines: angle at the root between root→end and root→middle.
  let cosA = dc > 1e-12 ? (l1 * l1 + dc * dc - l2 * l2) / (2 * l1 * dc) : 1;
  cosA = Math.min(1, Math.max(-1, cosA));
  const a = bend * Math.acos(cosA);
  const mx = ax + l1 * (ux * Math.cos(a) - uy * Math.sin(a));
  const my = ay + l1 * (ux * Math.sin(a) + uy * Math.cos(a));
  return { middle: [mx, my], end: [ax + ux * dc, ay + uy * dc], reached };
}

/**
 * Drag the end effector of a limb toward (x, y): the middle joint is solved, both bones keep their
 * length, and the hand/foot attached to the end turns with the lower bone and follows the end.
 * Returns null when a joint of the limb is missing (the caller falls back to FK).
 */
export function dragEndEffector(
  points: Float64Array,
  limb: TwoBoneLimb,
  x: number,
  y: number,
): { points: Float64Array; reached: boolean } | null {
  if (![limb.root, limb.middle, limb.end].every((j) => present(points, j))) return null;
  const root = pointXY(points, limb.root);
  const middle = pointXY(points, limb.middle);
  const end = pointXY(points, limb.end);
  const sol = solveTwoBone(root, middle, end, [x, y]);
  const out = new Float64Array(points);
  out[limb.middle * STRIDE] = sol.middle[0];
  out[limb.middle * STRIDE + 1] = sol.middle[1];
  out[limb.end * STRIDE] = sol.end[0];
  out[limb.end * STRIDE + 1] = sol.end[1];
  const attached = ATTACHMENTS.get(limb.end);
  if (attached) {
    const before = Math.atan2(end[1] - middle[1], end[0] - middle[0]);
    const after = Math.atan2(sol.end[1] - sol.middle[1], sol.end[0] - sol.middle[0]);
    translateInPlace(out, attached, sol.end[0] - end[0], sol.end[1] - end[1]);
    rotateInPlace(out, attached, sol.end[0], sol.end[1], after - before);
  }
  return { points: out, reached: sol.reached };
}
