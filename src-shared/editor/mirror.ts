import { FACE, MIRROR, POINT_COUNT, partOf } from '#shared/pose/skeleton';
import { STRIDE } from '#shared/pose/types';
import { pointXY, present } from './kinematics';

/** Body, feet and hand points on the person's own left side (the face is mirrored as a whole). */
const LEFT_BODY = new Set([5, 6, 7, 11, 12, 13, 15, 17]);
export function sideOf(i: number): 'left' | 'right' | 'centre' {
  if (MIRROR[i] === i) return 'centre';
  const part = partOf(i);
  if (part === 'leftHand') return 'left';
  if (part === 'rightHand') return 'right';
  if (part === 'face') return 'centre';
  if (part === 'feet') return i < 21 ? 'left' : 'right';
  return LEFT_BODY.has(i) ? 'left' : 'right';
}

/** The vertical axis a person is mirrored about: the neck, else the mean x of present points. */
export function mirrorAxis(points: Float64Array): number {
  if (present(points, 1)) return pointXY(points, 1)[0];
  let sum = 0;
  let n = 0;
  for (let i = 0; i < POINT_COUNT; i++)
    if (present(points, i)) {
      sum += points[i * STRIDE]!;
      n++;
    }
  return n ? sum / n : 0;
}

/**
 * Flip a person horizontally about x = axis and swap left/right labels, so the mirrored pose is
 * still anatomically labelled (the left wrist stays the person's left wrist).
 */
export function mirrorPose(points: Float64Array, axis = mirrorAxis(points)): Float64Array {
  const out = new Float64Array(points.length);
  for (let i = 0; i < POINT_COUNT; i++) {
    const o = i * STRIDE;
    const t = MIRROR[i]! * STRIDE;
    out[t] = points[o + 2]! > 0 ? 2 * axis - points[o]! : points[o]!;
    out[t + 1] = points[o + 1]!;
    out[t + 2] = points[o + 2]!;
  }
  return out;
}

/**
 * Make a person symmetric: copy one side's body, foot and hand points onto the other side,
 * reflected about x = axis. Centre points and the face are left as they are.
 */
export function copySide(
  points: Float64Array,
  from: 'left' | 'right',
  axis = mirrorAxis(points),
): Float64Array {
  const out = new Float64Array(points);
  for (let i = 0; i < FACE.start; i++) copyOne(points, out, i, from, axis);
  for (let i = FACE.start + FACE.count; i < POINT_COUNT; i++) copyOne(points, out, i, from, axis);
  return out;
}

function copyOne(
  src: Float64Array,
  out: Float64Array,
  i: number,
  from: 'left' | 'right',
  axis: number,
): void {
  if (sideOf(i) !== from) return;
  const o = i * STRIDE;
  const t = MIRROR[i]! * STRIDE;
  out[t] = src[o + 2]! > 0 ? 2 * axis - src[o]! : src[o]!;
  out[t + 1] = src[o + 1]!;
  out[t + 2] = src[o + 2]!;
}
