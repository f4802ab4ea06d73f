import { torsoSize } from '#shared/pose/geometry';
import { FK_ORDER, Joint, PARENT } from '#shared/pose/skeleton';
import { STRIDE } from '#shared/pose/types';
import { BODY3D_COUNT } from './body3d';

/**
 * Retargeting in 3-D, before projection — the same rules as `retargetPose` (pose/retarget.ts),
 * applied to 3-D points so that a bone seen at an angle is foreshortened instead of stretched:
 *
 * - scale s = character torso (pixels) / mocap torso at frame 0 (neck → mid-hip);
 * - the neck travels s × its mocap travel from frame 0;
 * - every other bone keeps its mocap 3-D direction and takes the character's 2-D length (its
 *   reference pose is drawn facing the viewer, where bones show their full length), or s × the
 *   mocap length where the character lacks the bone.
 *
 * So 3-D bone lengths are constant across the clip and no projected bone is ever longer than the
 * character's (orthographic cameras).
 */
const ORDER = FK_ORDER.filter((i) => i < BODY3D_COUNT);
type V = Float64Array;

const present = (p: V, i: number) => !Number.isNaN(p[3 * i]!);

function dist3(p: V, i: number, j: number): number {
  return Math.hypot(
    p[3 * i]! - p[3 * j]!,
    p[3 * i + 1]! - p[3 * j + 1]!,
    p[3 * i + 2]! - p[3 * j + 2]!,
  );
}

function torso3d(p: V): number {
  if (!present(p, Joint.neck) || !present(p, Joint.lHip) || !present(p, Joint.rHip)) return NaN;
  const mid = [0, 1, 2].map((k) => (p[3 * Joint.lHip + k]! + p[3 * Joint.rHip + k]!) / 2);
  return Math.hypot(...[0, 1, 2].map((k) => p[3 * Joint.neck + k]! - mid[k]!));
}

/** Bone length of the character's 2-D reference pose, or NaN where it lacks either end. */
function characterLength(c: Float64Array, i: number, q: number): number {
  if (!(c[i * STRIDE + 2]! > 0 && c[q * STRIDE + 2]! > 0)) return NaN;
  return Math.hypot(c[i * STRIDE]! - c[q * STRIDE]!, c[i * STRIDE + 1]! - c[q * STRIDE + 1]!);
}

/** The character-to-mocap scale; throws when the character pose has no torso to measure. */
export function retargetScale3d(reference: V, character: Float64Array): number {
  const tc = torsoSize(character);
  const td = torso3d(reference);
  if (!(tc > 0 && td > 0))
    throw new RangeError(
      'needs a neck and both hips (its torso sets the scale), and the clip must have them too',
    );
  return tc / td;
}

/**
 * Retargets 3-D frames (24 points × 3, NaN = missing) onto the character: the neck of frame 0 at
 * the origin, lengths in the character's pixels.
 */
export function retarget3d(frames: readonly V[], character: Float64Array): V[] {
  if (frames.length === 0) return [];
  const ref = frames[0]!;
  const s = retargetScale3d(ref, character);
  return frames.map((d) => {
    const out = new Float64Array(3 * BODY3D_COUNT).fill(NaN);
    for (const i of ORDER) {
      if (!present(d, i)) continue;
      let q = PARENT[i]!;
      while (q >= 0 && !present(d, q)) q = PARENT[q]!;
      if (q < 0) {
        for (let k = 0; k < 3; k++) out[3 * i + k] = s * (d[3 * i + k]! - ref[3 * Joint.neck + k]!);
        continue;
      }
      const len = dist3(d, i, q);
      let target = characterLength(character, i, q);
      if (Number.isNaN(target)) target = s * len;
      const k = len > 0 ? target / len : 0;
      for (let c = 0; c < 3; c++)
        out[3 * i + c] = out[3 * q + c]! + (d[3 * i + c]! - d[3 * q + c]!) * k;
    }
    return out;
  });
}
