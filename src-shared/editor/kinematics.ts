import {
  FACE,
  Joint,
  LEFT_HAND,
  PARENT,
  POINT_COUNT,
  RIGHT_HAND,
  type PointRange,
} from '#shared/pose/skeleton';
import { STRIDE } from '#shared/pose/types';

/**
 * Forward kinematics on one person's flat point array (x, y, c per point).
 * Every function returns a new array and leaves missing points (c <= 0) untouched, so a pose that
 * round-trips through the editor exports exactly the zeros it was imported with.
 */

/** Children of each point in the bone tree. */
export const CHILDREN: readonly (readonly number[])[] = (() => {
  const c: number[][] = Array.from({ length: POINT_COUNT }, () => []);
  for (let i = 0; i < POINT_COUNT; i++) {
    const p = PARENT[i]!;
    if (p >= 0) c[p]!.push(i);
  }
  return c;
})();

const subtreeCache = new Map<number, readonly number[]>();

/** A point and everything that hangs from it (depth first, root first). */
export function subtree(root: number): readonly number[] {
  const cached = subtreeCache.get(root);
  if (cached) return cached;
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const i = stack.pop()!;
    out.push(i);
    for (const c of CHILDREN[i]!) stack.push(c);
  }
  subtreeCache.set(root, out);
  return out;
}

const range = (r: PointRange): number[] => Array.from({ length: r.count }, (_, i) => r.start + i);

/**
 * Points that move rigidly with a body joint even when that joint is moved freely: the hands with
 * the wrists, the face (and eyes, ears) with the nose, the toes and heel with the ankle.
 */
export const ATTACHMENTS: ReadonlyMap<number, readonly number[]> = new Map([
  [Joint.lWrist, range(LEFT_HAND)],
  [Joint.rWrist, range(RIGHT_HAND)],
  [Joint.nose, [...range(FACE), Joint.rEye, Joint.lEye, Joint.rEar, Joint.lEar]],
  [Joint.lAnkle, [Joint.lBigToe, Joint.lSmallToe, Joint.lHeel]],
  [Joint.rAnkle, [Joint.rBigToe, Joint.rSmallToe, Joint.rHeel]],
]);

export function present(points: Float64Array, i: number): boolean {
  return points[i * STRIDE + 2]! > 0;
}

export function pointXY(points: Float64Array, i: number): [number, number] {
  return [points[i * STRIDE]!, points[i * STRIDE + 1]!];
}

/** Rotate the present points among `indices` by `angle` radians about (px, py), in place. */
export function rotateInPlace(
  points: Float64Array,
  indices: Iterable<number>,
  px: number,
  py: number,
  angle: number,
): void {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  for (const i of indices) {
    const o = i * STRIDE;
    if (!(points[o + 2]! > 0)) continue;
    const dx = points[o]! - px;
    const dy = points[o + 1]! - py;
    points[o] = px + dx * cos - dy * sin;
    points[o + 1] = py + dx * sin + dy * cos;
  }
}

/** Translate the present points among `indices` by (dx, dy), in place. */
export function translateInPlace(
  points: Float64Array,
  indices: Iterable<number>,
  dx: number,
  dy: number,
): void {
  for (const i of indices) {
    const o = i * STRIDE;
    if (!(points[o + 2]! > 0)) continue;
    points[o] = points[o]! + dx;
    points[o + 1] = points[o + 1]! + dy;
  }
}

/** Length of the bone from `joint`'s parent to `joint` (NaN for the root or a missing end). */
export function boneLength(points: Float64Array, joint: number): number {
  const p = PARENT[joint]!;
  if (p < 0 || !present(points, p) || !present(points, joint)) return NaN;
  const [ax, ay] = pointXY(points, p);
  const [bx, by] = pointXY(points, joint);
  return Math.hypot(bx - ax, by - ay);
}

/** Move a joint and everything below it by the same offset (the root drags the whole person). */
export function translateSubtree(
  points: Float64Array,
  joint: number,
  x: number,
  y: number,
): Float64Array {
  const out = new Float64Array(points);
  const [jx, jy] = pointXY(points, joint);
  translateInPlace(out, subtree(joint), x - jx, y - jy);
  return out;
}

/**
 * FK with length lock: rotate the bone ending at `joint` about its parent so that it points at
 * (x, y). The bone keeps its length and the whole subtree (forearm, hand, fingers…) turns with it.
 * A joint with no present parent, or sitting on its parent (zero length), is translated instead.
 */
export function rotateBoneToward(
  points: Float64Array,
  joint: number,
  x: number,
  y: number,
): Float64Array {
  const p = PARENT[joint]!;
  const len = boneLength(points, joint);
  if (p < 0 || !(len > 1e-9)) return translateSubtree(points, joint, x, y);
  const [px, py] = pointXY(points, p);
  const [jx, jy] = pointXY(points, joint);
  if (Math.hypot(x - px, y - py) < 1e-9) return new Float64Array(points);
  const angle = Math.atan2(y - py, x - px) - Math.atan2(jy - py, jx - px);
  const out = new Float64Array(points);
  rotateInPlace(out, subtree(joint), px, py, angle);
  return out;
}

/** Rotate a bone by `angle` radians about its parent joint, subtree included (length kept). */
export function rotateBoneBy(points: Float64Array, joint: number, angle: number): Float64Array {
  const p = PARENT[joint]!;
  const out = new Float64Array(points);
  if (p < 0 || !present(points, p)) return out;
  const [px, py] = pointXY(points, p);
  rotateInPlace(out, subtree(joint), px, py, angle);
  return out;
}

/**
 * Free move: the joint goes exactly to (x, y) (bone lengths change); its rigid attachments (hand,
 * face, foot) are carried along by the same offset. Other children stay where they are.
 */
export function moveJointFree(
  points: Float64Array,
  joint: number,
  x: number,
  y: number,
): Float64Array {
  const out = new Float64Array(points);
  const [jx, jy] = pointXY(points, joint);
  const o = joint * STRIDE;
  out[o] = x;
  out[o + 1] = y;
  const attached = ATTACHMENTS.get(joint);
  if (attached) translateInPlace(out, attached, x - jx, y - jy);
  return out;
}
