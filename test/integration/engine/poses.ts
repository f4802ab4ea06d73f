/** Target poses for puppet tests: forward-kinematics edits of the stock character's pose. */
import { Joint } from '#shared/pose/skeleton';

/** Rotates `points` about `pivot` by `angle` radians (image coordinates, y down). */
export function rotate(pose: Float64Array, pivot: number, points: number[], angle: number): void {
  const cx = pose[pivot * 3]!;
  const cy = pose[pivot * 3 + 1]!;
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  for (const i of points) {
    const x = pose[i * 3]! - cx;
    const y = pose[i * 3 + 1]! - cy;
    pose[i * 3] = cx + x * c - y * s;
    pose[i * 3 + 1] = cy + x * s + y * c;
  }
}

export function translate(pose: Float64Array, dx: number, dy: number): void {
  for (let i = 0; i < pose.length; i += 3) {
    if (pose[i + 2]! <= 0) continue;
    pose[i] = pose[i]! + dx;
    pose[i + 1] = pose[i + 1]! + dy;
  }
}

/** A wave-and-step pose, `t` in [0, 1] scales every motion (0 = the reference). */
export function wavePose(ref: Float64Array, t: number): Float64Array {
  const p = new Float64Array(ref);
  rotate(p, Joint.rShoulder, [Joint.rElbow, Joint.rWrist], 0.7 * t);
  rotate(p, Joint.rElbow, [Joint.rWrist], 0.6 * t);
  rotate(p, Joint.lShoulder, [Joint.lElbow, Joint.lWrist], 0.35 * t);
  rotate(p, Joint.lElbow, [Joint.lWrist], -0.3 * t);
  rotate(p, Joint.lHip, [Joint.lKnee, Joint.lAnkle], -0.2 * t);
  rotate(p, Joint.lKnee, [Joint.lAnkle], 0.25 * t);
  rotate(p, Joint.rHip, [Joint.rKnee, Joint.rAnkle], 0.1 * t);
  rotate(p, Joint.neck, [Joint.nose, Joint.rEye, Joint.lEye, Joint.rEar, Joint.lEar], 0.15 * t);
  translate(p, 8 * t, -5 * t);
  return p;
}

const range = (start: number, count: number) => Array.from({ length: count }, (_, i) => start + i);

/**
 * Arms raised far from the reference: each whole arm (elbow, wrist, hand points) turned about its
 * shoulder by `right` / `left` radians (positive = clockwise on screen). Around ±2.1–2.6 rad a
 * hanging arm points up beside or across the head: the shoulder seam turns further than anywhere
 * else in normal motion.
 */
export function raisedArmsPose(ref: Float64Array, right: number, left: number): Float64Array {
  const p = new Float64Array(ref);
  rotate(p, Joint.rShoulder, [Joint.rElbow, Joint.rWrist, ...range(115, 21)], right);
  rotate(p, Joint.lShoulder, [Joint.lElbow, Joint.lWrist, ...range(94, 21)], left);
  return p;
}
