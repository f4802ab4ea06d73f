/**
 * The puppet's bones: 14 rigid-ish pieces driven by the 136-point skeleton. Each bone gets one
 * affine map reference → target per frame. Limbs map their joint segment exactly (so joints land
 * on the target joints); torso, head, hands and feet are least-squares fits over their points,
 * the head and hands as similarities (they stay rigid). A bone whose points are missing in the
 * target moves with its parent, so a missing limb stays rigid with the body.
 */
import { FACE, Joint, LEFT_HAND, RIGHT_HAND } from '#shared/pose/skeleton';
import {
  type Affine,
  IDENTITY,
  boneMap,
  fitAffineMap,
  fitSimilarityMap,
  translation,
} from './affine';

export type BoneName =
  | 'torso'
  | 'head'
  | 'rUpperArm'
  | 'rForearm'
  | 'lUpperArm'
  | 'lForearm'
  | 'rThigh'
  | 'rShin'
  | 'lThigh'
  | 'lShin'
  | 'rHand'
  | 'lHand'
  | 'rFoot'
  | 'lFoot';

export interface BoneDef {
  readonly name: BoneName;
  /** Index of the parent bone (−1 for the torso). */
  readonly parent: number;
  /** Limb bones: the joint segment [from, to] mapped exactly. */
  readonly segment?: readonly [number, number];
  /** Fitted bones: the points whose motion defines the map. */
  readonly fitPoints?: readonly number[];
  readonly fit?: 'affine' | 'similarity';
  readonly side: 'r' | 'l' | 'mid';
}

const range = (start: number, count: number): number[] =>
  Array.from({ length: count }, (_, i) => start + i);

export const BONES: readonly BoneDef[] = [
  {
    name: 'torso',
    parent: -1,
    fitPoints: [Joint.neck, Joint.rShoulder, Joint.lShoulder, Joint.rHip, Joint.lHip],
    fit: 'affine',
    side: 'mid',
  },
  {
    name: 'head',
    parent: 0,
    fitPoints: [
      Joint.neck,
      Joint.nose,
      Joint.rEye,
      Joint.lEye,
      Joint.rEar,
      Joint.lEar,
      ...range(FACE.start, FACE.count),
    ],
    fit: 'similarity',
    side: 'mid',
  },
  { name: 'rUpperArm', parent: 0, segment: [Joint.rShoulder, Joint.rElbow], side: 'r' },
  { name: 'rForearm', parent: 2, segment: [Joint.rElbow, Joint.rWrist], side: 'r' },
  { name: 'lUpperArm', parent: 0, segment: [Joint.lShoulder, Joint.lElbow], side: 'l' },
  { name: 'lForearm', parent: 4, segment: [Joint.lElbow, Joint.lWrist], side: 'l' },
  { name: 'rThigh', parent: 0, segment: [Joint.rHip, Joint.rKnee], side: 'r' },
  { name: 'rShin', parent: 6, segment: [Joint.rKnee, Joint.rAnkle], side: 'r' },
  { name: 'lThigh', parent: 0, segment: [Joint.lHip, Joint.lKnee], side: 'l' },
  { name: 'lShin', parent: 8, segment: [Joint.lKnee, Joint.lAnkle], side: 'l' },
  {
    name: 'rHand',
    parent: 3,
    fitPoints: [Joint.rWrist, ...range(RIGHT_HAND.start, RIGHT_HAND.count)],
    fit: 'similarity',
    side: 'r',
  },
  {
    name: 'lHand',
    parent: 5,
    fitPoints: [Joint.lWrist, ...range(LEFT_HAND.start, LEFT_HAND.count)],
    fit: 'similarity',
    side: 'l',
  },
  {
    name: 'rFoot',
    parent: 7,
    fitPoints: [Joint.rAnkle, Joint.rBigToe, Joint.rSmallToe, Joint.rHeel],
    fit: 'similarity',
    side: 'r',
  },
  {
    name: 'lFoot',
    parent: 9,
    fitPoints: [Joint.lAnkle, Joint.lBigToe, Joint.lSmallToe, Joint.lHeel],
    fit: 'similarity',
    side: 'l',
  },
];

export const BONE_COUNT = BONES.length;
export const boneIndex = (name: BoneName): number => BONES.findIndex((b) => b.name === name);

export const point = (pose: Float64Array, i: number): [number, number] | undefined =>
  pose[i * 3 + 2]! > 0 ? [pose[i * 3]!, pose[i * 3 + 1]!] : undefined;

function fitBone(bone: BoneDef, ref: Float64Array, target: Float64Array): Affine | undefined {
  if (bone.segment) {
    const [a, b] = bone.segment;
    const ra = point(ref, a);
    const rb = point(ref, b);
    const ta = point(target, a);
    const tb = point(target, b);
    if (!ra || !rb || !ta || !tb) return undefined;
    return boneMap(ra, rb, ta, tb);
  }
  const src: [number, number][] = [];
  const dst: [number, number][] = [];
  for (const i of bone.fitPoints ?? []) {
    const r = point(ref, i);
    const t = point(target, i);
    if (r && t) {
      src.push(r);
      dst.push(t);
    }
  }
  if (bone.fit === 'affine') {
    const m = fitAffineMap(src, dst) ?? fitSimilarityMap(src, dst);
    if (m) return m;
  } else {
    const m = fitSimilarityMap(src, dst);
    if (m) return m;
  }
  return undefined;
}

/**
 * Forward maps reference → target, one per bone. A bone that cannot be fitted follows its parent;
 * with a single shared point it is the parent's map re-anchored so that point lands exactly.
 */
export function boneTransforms(ref: Float64Array, target: Float64Array): Affine[] {
  const out: Affine[] = [];
  for (let k = 0; k < BONES.length; k++) {
    const bone = BONES[k]!;
    const fitted = fitBone(bone, ref, target);
    if (fitted) {
      out.push(fitted);
      continue;
    }
    let parent = bone.parent >= 0 ? out[bone.parent]! : undefined;
    if (!parent) {
      // Torso without enough points: translate by the mean motion of whatever body points exist.
      let dx = 0;
      let dy = 0;
      let n = 0;
      for (let i = 0; i < 18; i++) {
        const r = point(ref, i);
        const t = point(target, i);
        if (r && t) {
          dx += t[0] - r[0];
          dy += t[1] - r[1];
          n++;
        }
      }
      parent = n > 0 ? translation(dx / n, dy / n) : IDENTITY;
    }
    out.push(parent);
  }
  return out;
}
