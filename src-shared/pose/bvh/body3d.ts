import { Joint } from '#shared/pose/skeleton';
import { forwardKinematics, type FkPose } from './fk';
import type { BvhMapping } from './mapping';
import type { BvhClip } from './parse';

/**
 * BVH joints → the body and feet of the project's skeleton in 3-D (points 0–23, BVH units).
 * Mocap rigs have no eyes, ears or heels: those points are placed at fixed spots of the head and
 * foot (proportions of the head's and foot's length measured on the rig), so they turn with them
 * and a side view shows the face's direction.
 */
export const BODY3D_COUNT = 24;

export interface Body3dRig {
  map: Partial<BvhMapping>;
  /** Which of the 24 points exist for this rig. */
  present: boolean[];
  /** Rest-pose directions of the character (unit vectors): up, its own left, forward. */
  up: number[];
  left: number[];
  forward: number[];
  headSize: number;
  footLength: number[]; // [left, right]
  footDrop: number[]; // up-component of toe − ankle at rest, [left, right]
}

type V = number[];
const sub = (a: V, b: V): V => [a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!];
const dot = (a: V, b: V) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
const scale = (a: V, k: number): V => [a[0]! * k, a[1]! * k, a[2]! * k];
const norm = (a: V): number => Math.hypot(a[0]!, a[1]!, a[2]!);
export const cross = (a: V, b: V): V => [
  a[1]! * b[2]! - a[2]! * b[1]!,
  a[2]! * b[0]! - a[0]! * b[2]!,
  a[0]! * b[1]! - a[1]! * b[0]!,
];
export function unit(a: V): V {
  const n = norm(a);
  return n > 0 ? scale(a, 1 / n) : [0, 0, 0];
}

const at = (fk: FkPose, i: number): V => [...fk.position.subarray(3 * i, 3 * i + 3)];
/** A toe joint's tip: its End Site when it has one, else the joint. */
function toeTip(fk: FkPose, i: number): V {
  const e = fk.endSite.subarray(3 * i, 3 * i + 3);
  return Number.isNaN(e[0]) ? at(fk, i) : [...e];
}
/** World position of a point fixed at `local` (rest-pose world axes) in joint `i`'s frame. */
function attached(fk: FkPose, i: number, local: V): V {
  const r = fk.rotation.subarray(9 * i, 9 * i + 9);
  const p = at(fk, i);
  return [0, 1, 2].map(
    (k) => p[k]! + r[3 * k]! * local[0]! + r[3 * k + 1]! * local[1]! + r[3 * k + 2]! * local[2]!,
  );
}

export function rigOf(clip: BvhClip, map: Partial<BvhMapping>): Body3dRig {
  const rest = forwardKinematics(clip, -1);
  const m = map;
  const up = unit(
    m.neck !== undefined && m.hips !== undefined
      ? sub(at(rest, m.neck), at(rest, m.hips))
      : [0, 1, 0],
  );
  const lat =
    m.lHip !== undefined && m.rHip !== undefined
      ? sub(at(rest, m.lHip), at(rest, m.rHip))
      : m.lShoulder !== undefined && m.rShoulder !== undefined
        ? sub(at(rest, m.lShoulder), at(rest, m.rShoulder))
        : [1, 0, 0];
  const left = unit(sub(lat, scale(up, dot(lat, up))));
  const forward = cross(left, up);
  let headSize = 0;
  if (m.head !== undefined) {
    // The head's length: to its End Site (the skull's top), else to a joint placed there
    // (Mixamo's HeadTop_End). Bandai Namco's rig ends the head in a zero End Site and a rig may
    // have none: a head is then about 0.4 of the hips-to-neck length, not the neck's own length
    // (which drew a face a third of its size, or none at all).
    const h = clip.joints[m.head]!;
    // Of the head's child joints the farthest (its top, not an eye or the jaw).
    const top = Math.max(
      0,
      ...clip.joints.filter((j) => j.parent === m.head).map((j) => norm(j.offset)),
    );
    const trunk =
      m.neck !== undefined && m.hips !== undefined
        ? norm(sub(at(rest, m.neck), at(rest, m.hips)))
        : 0;
    headSize =
      [h.endSite && norm(h.endSite), top, 0.4 * trunk].find(
        (v): v is number => v !== undefined && v > 1e-9,
      ) ?? 0;
  }
  const foot = (ankle?: number, toe?: number): [number, number] => {
    if (ankle === undefined || toe === undefined) return [0, 0];
    const d = sub(toeTip(rest, toe), at(rest, ankle));
    return [norm(d), dot(d, up)];
  };
  const [ll, ld] = foot(m.lAnkle, m.lToe);
  const [rl, rd] = foot(m.rAnkle, m.rToe);
  const present = new Array<boolean>(BODY3D_COUNT).fill(false);
  const has = (...roles: (keyof BvhMapping)[]) => roles.every((r) => m[r] !== undefined);
  const set = (ok: boolean, ...points: number[]) => points.forEach((p) => (present[p] = ok));
  set(has('neck'), Joint.neck);
  set(has('head') && headSize > 0, Joint.nose, Joint.lEye, Joint.rEye, Joint.lEar, Joint.rEar);
  set(has('lShoulder'), Joint.lShoulder);
  set(has('lElbow'), Joint.lElbow);
  set(has('lWrist'), Joint.lWrist);
  set(has('rShoulder'), Joint.rShoulder);
  set(has('rElbow'), Joint.rElbow);
  set(has('rWrist'), Joint.rWrist);
  set(has('lHip'), Joint.lHip);
  set(has('lKnee'), Joint.lKnee);
  set(has('lAnkle'), Joint.lAnkle);
  set(has('rHip'), Joint.rHip);
  set(has('rKnee'), Joint.rKnee);
  set(has('rAnkle'), Joint.rAnkle);
  set(has('lAnkle', 'lToe') && ll > 0, Joint.lBigToe, Joint.lSmallToe, Joint.lHeel);
  set(has('rAnkle', 'rToe') && rl > 0, Joint.rBigToe, Joint.rSmallToe, Joint.rHeel);
  return { map, present, up, left, forward, headSize, footLength: [ll, rl], footDrop: [ld, rd] };
}

/** The 24 body and feet points of one FK pose: 3 numbers each (NaN where the rig has none). */
export function body3d(rig: Body3dRig, fk: FkPose): Float64Array {
  const out = new Float64Array(3 * BODY3D_COUNT).fill(NaN);
  const m = rig.map;
  const put = (point: number, p: V) => {
    if (rig.present[point]) out.set(p, 3 * point);
  };
  const joint = (point: number, role: keyof BvhMapping) => {
    const i = m[role];
    if (i !== undefined) put(point, at(fk, i));
  };
  joint(Joint.neck, 'neck');
  joint(Joint.lShoulder, 'lShoulder');
  joint(Joint.lElbow, 'lElbow');
  joint(Joint.lWrist, 'lWrist');
  joint(Joint.rShoulder, 'rShoulder');
  joint(Joint.rElbow, 'rElbow');
  joint(Joint.rWrist, 'rWrist');
  joint(Joint.lHip, 'lHip');
  joint(Joint.lKnee, 'lKnee');
  joint(Joint.lAnkle, 'lAnkle');
  joint(Joint.rHip, 'rHip');
  joint(Joint.rKnee, 'rKnee');
  joint(Joint.rAnkle, 'rAnkle');
  const { up: u, left: l, forward: f } = rig;
  const mix = (a: number, b: number, c: number): V =>
    [0, 1, 2].map((k) => u[k]! * a + f[k]! * b + l[k]! * c);
  if (m.head !== undefined) {
    const h = rig.headSize;
    // proportions of a head whose joint sits at the skull's base and End Site at its top
    put(Joint.nose, attached(fk, m.head, mix(0.45 * h, 0.4 * h, 0)));
    put(Joint.lEye, attached(fk, m.head, mix(0.6 * h, 0.33 * h, 0.15 * h)));
    put(Joint.rEye, attached(fk, m.head, mix(0.6 * h, 0.33 * h, -0.15 * h)));
    put(Joint.lEar, attached(fk, m.head, mix(0.5 * h, 0, 0.32 * h)));
    put(Joint.rEar, attached(fk, m.head, mix(0.5 * h, 0, -0.32 * h)));
  }
  const feet = [
    [m.lAnkle, m.lToe, Joint.lBigToe, Joint.lSmallToe, Joint.lHeel, 1, 0],
    [m.rAnkle, m.rToe, Joint.rBigToe, Joint.rSmallToe, Joint.rHeel, -1, 1],
  ] as const;
  for (const [ankle, toe, big, small, heel, outward, k] of feet) {
    if (ankle === undefined || toe === undefined) continue;
    const len = rig.footLength[k]!;
    const tip = toeTip(fk, toe);
    put(big, tip);
    put(
      small,
      [0, 1, 2].map(
        (c) =>
          tip[c]! +
          (attached(fk, toe, mix(0, -0.15 * len, 0.3 * outward * len))[c]! - at(fk, toe)[c]!),
      ),
    );
    put(heel, attached(fk, ankle, mix(rig.footDrop[k]!, -0.25 * len, 0)));
  }
  return out;
}
