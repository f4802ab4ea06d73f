/**
 * Limb motions made from a reference pose by turning limbs about their joints (forward
 * kinematics in the picture plane): both arms raised or lowered about the shoulders, and a walk
 * cycle. Used by the puppet's checks on real pictures, where the expected place of every joint is
 * known exactly because the motion is made here.
 */
import { Joint, LEFT_HAND, RIGHT_HAND, type PointRange } from '../skeleton';
import { STRIDE } from '../types';

const range = (r: PointRange) => Array.from({ length: r.count }, (_, i) => r.start + i);
const present = (p: Float64Array, j: number) => p[j * STRIDE + 2]! > 0;

/** The points a limb carries when it turns about its root (missing points stay missing). */
export const LIMB_POINTS = {
  rightArm: [Joint.rElbow, Joint.rWrist, ...range(RIGHT_HAND)],
  leftArm: [Joint.lElbow, Joint.lWrist, ...range(LEFT_HAND)],
  rightForearm: [Joint.rWrist, ...range(RIGHT_HAND)],
  leftForearm: [Joint.lWrist, ...range(LEFT_HAND)],
  rightLeg: [Joint.rKnee, Joint.rAnkle, Joint.rBigToe, Joint.rSmallToe, Joint.rHeel],
  leftLeg: [Joint.lKnee, Joint.lAnkle, Joint.lBigToe, Joint.lSmallToe, Joint.lHeel],
  rightShin: [Joint.rAnkle, Joint.rBigToe, Joint.rSmallToe, Joint.rHeel],
  leftShin: [Joint.lAnkle, Joint.lBigToe, Joint.lSmallToe, Joint.lHeel],
} as const;

/** Turns `points` about `pivot` by `angle` radians (y down: positive = clockwise on screen). */
export function turnAbout(
  pose: Float64Array,
  pivot: number,
  points: readonly number[],
  angle: number,
): void {
  if (!present(pose, pivot) || angle === 0) return;
  const cx = pose[pivot * STRIDE]!;
  const cy = pose[pivot * STRIDE + 1]!;
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  for (const i of points) {
    if (!present(pose, i)) continue;
    const x = pose[i * STRIDE]! - cx;
    const y = pose[i * STRIDE + 1]! - cy;
    pose[i * STRIDE] = cx + x * c - y * s;
    pose[i * STRIDE + 1] = cy + x * s + y * c;
  }
}

/**
 * Which way turns an arm upward: a small clockwise turn lifts a point left of the pivot (dy = x·dθ),
 * so an arm reaching left rises clockwise. An arm straight up or down goes by the shoulder's side
 * of the neck (a person's right shoulder is on the picture's left).
 */
function raiseSign(pose: Float64Array, shoulder: number, tip: number[], right: boolean): number {
  const end = tip.find((j) => present(pose, j));
  const dx = end === undefined ? 0 : pose[end * STRIDE]! - pose[shoulder * STRIDE]!;
  if (Math.abs(dx) > 1e-6) return dx < 0 ? 1 : -1;
  if (present(pose, Joint.neck))
    return pose[shoulder * STRIDE]! < pose[Joint.neck * STRIDE]! ? 1 : -1;
  return right ? 1 : -1;
}

/**
 * Both arms turned about their shoulders by `degrees`, each the way that lifts its hand
 * (negative degrees lower them); elbows stay straight as they are.
 */
export function armsRaised(reference: Float64Array, degrees: number): Float64Array {
  const pose = new Float64Array(reference);
  const a = (degrees * Math.PI) / 180;
  const r = raiseSign(reference, Joint.rShoulder, [Joint.rWrist, Joint.rElbow], true);
  const l = raiseSign(reference, Joint.lShoulder, [Joint.lWrist, Joint.lElbow], false);
  turnAbout(pose, Joint.rShoulder, LIMB_POINTS.rightArm, r * a);
  turnAbout(pose, Joint.lShoulder, LIMB_POINTS.leftArm, l * a);
  return pose;
}

export interface WalkAmplitudes {
  /** Thigh swing about the hip, each way (degrees). */
  thigh: number;
  /** Knee bend at the top of the swing (degrees). */
  knee: number;
  /** Arm counter-swing about the shoulder, each way (degrees). */
  arm: number;
}

export const WALK: WalkAmplitudes = { thigh: 25, knee: 35, arm: 20 };

/**
 * A walk cycle at `phase` (0…1, periodic) in the picture plane: thighs swing opposite to each
 * other, each knee bends while its leg swings out, the arms swing against their legs. The torso
 * and head stay where they are, so every part that moves is a limb.
 */
export function walkCycle(
  reference: Float64Array,
  phase: number,
  amp: WalkAmplitudes = WALK,
): Float64Array {
  const pose = new Float64Array(reference);
  const s = Math.sin(2 * Math.PI * phase);
  const rad = Math.PI / 180;
  turnAbout(pose, Joint.rKnee, LIMB_POINTS.rightShin, amp.knee * rad * Math.max(0, s));
  turnAbout(pose, Joint.lKnee, LIMB_POINTS.leftShin, amp.knee * rad * Math.max(0, -s));
  turnAbout(pose, Joint.rHip, LIMB_POINTS.rightLeg, amp.thigh * rad * s);
  turnAbout(pose, Joint.lHip, LIMB_POINTS.leftLeg, -amp.thigh * rad * s);
  turnAbout(pose, Joint.rShoulder, LIMB_POINTS.rightArm, -amp.arm * rad * s);
  turnAbout(pose, Joint.lShoulder, LIMB_POINTS.leftArm, amp.arm * rad * s);
  return pose;
}
