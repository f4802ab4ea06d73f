import type { BvhClip } from './parse';

/**
 * Forward kinematics of a BVH frame: world position and rotation of every joint and End Site.
 *
 * BVH convention (Biovision, as CMU, Mixamo, Blender and three.js read it): a joint's local
 * transform is translation × rotation, the rotation being the product of the axis rotations in the
 * order the CHANNELS list them (`Zrotation Xrotation Yrotation` → Rz·Rx·Ry, column vectors), in
 * degrees. A position channel replaces the OFFSET on its axis (the root's absolute position).
 */
export interface FkPose {
  /** 3 numbers per joint. */
  position: Float64Array;
  /** Row-major 3×3 world rotation per joint (9 numbers). */
  rotation: Float64Array;
  /** 3 numbers per joint: its End Site's world position (NaN when the joint has none). */
  endSite: Float64Array;
}

const DEG = Math.PI / 180;

/** out = a · b for row-major 3×3 matrices (out may not alias a or b). */
function mul(a: Float64Array, ao: number, b: ArrayLike<number>, out: Float64Array, oo: number) {
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++)
      out[oo + r * 3 + c] =
        a[ao + r * 3]! * b[c]! + a[ao + r * 3 + 1]! * b[3 + c]! + a[ao + r * 3 + 2]! * b[6 + c]!;
}

/** Rotation about one axis by `deg` degrees (right-handed). */
export function axisRotation(axis: number, deg: number): Float64Array {
  const c = Math.cos(deg * DEG);
  const s = Math.sin(deg * DEG);
  if (axis === 0) return Float64Array.of(1, 0, 0, 0, c, -s, 0, s, c);
  if (axis === 1) return Float64Array.of(c, 0, s, 0, 1, 0, -s, 0, c);
  return Float64Array.of(c, -s, 0, s, c, 0, 0, 0, 1);
}

const IDENTITY = Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);

/** FK of frame `f` (the rest pose — offsets only, no rotation — when `f` is −1). */
export function forwardKinematics(clip: BvhClip, f: number): FkPose {
  const n = clip.joints.length;
  const position = new Float64Array(3 * n);
  const rotation = new Float64Array(9 * n);
  const endSite = new Float64Array(3 * n).fill(NaN);
  const row = f * clip.channelCount;
  const local = new Float64Array(9);
  const tmp = new Float64Array(9);
  clip.joints.forEach((j, i) => {
    const t = [...j.offset];
    local.set(IDENTITY);
    if (f >= 0)
      j.channels.forEach((ch, k) => {
        const v = clip.motion[row + j.channelStart + k]!;
        if (ch.kind === 'position') t[ch.axis] = v;
        else {
          mul(local, 0, axisRotation(ch.axis, v), tmp, 0);
          local.set(tmp);
        }
      });
    if (j.parent < 0) {
      position.set(t, 3 * i);
      rotation.set(local, 9 * i);
    } else {
      const p = j.parent;
      for (let r = 0; r < 3; r++)
        position[3 * i + r] =
          position[3 * p + r]! +
          rotation[9 * p + 3 * r]! * t[0]! +
          rotation[9 * p + 3 * r + 1]! * t[1]! +
          rotation[9 * p + 3 * r + 2]! * t[2]!;
      mul(rotation, 9 * p, local, rotation, 9 * i);
    }
    if (j.endSite)
      for (let r = 0; r < 3; r++)
        endSite[3 * i + r] =
          position[3 * i + r]! +
          rotation[9 * i + 3 * r]! * j.endSite[0] +
          rotation[9 * i + 3 * r + 1]! * j.endSite[1] +
          rotation[9 * i + 3 * r + 2]! * j.endSite[2];
  });
  return { position, rotation, endSite };
}
