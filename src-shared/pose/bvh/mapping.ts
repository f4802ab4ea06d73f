import type { BvhJoint } from './parse';

/**
 * Which BVH joint drives which point of the body: one name-based mapper serves every skeleton
 * family. Names are cut into words (camelCase, `_`, `.`, spaces, `mixamorig:` namespaces), a
 * side word (Left/L/Right/R) is taken out, and what remains is looked up in lists of the words
 * rigs use for each bone, most specific first (CMU and Mixamo's `Arm` before a clavicle named
 * `Shoulder`; `UpLeg` before CMU's `LHipJoint`); of two joints with the same word, one placed on
 * its parent (CMU's `LHipJoint`, on the pelvis) loses to one of its own place (`LeftHip`).
 */
export type BvhFamily = 'fair' | 'cmu' | 'mixamo' | 'generic';

/** The joints the body is built from; the face points and feet are derived from head and feet. */
export interface BvhMapping {
  hips: number;
  neck: number;
  head: number;
  lShoulder: number;
  lElbow: number;
  lWrist: number;
  rShoulder: number;
  rElbow: number;
  rWrist: number;
  lHip: number;
  lKnee: number;
  lAnkle: number;
  lToe: number;
  rHip: number;
  rKnee: number;
  rAnkle: number;
  rToe: number;
}
export type Role = keyof BvhMapping;

/** Roles a clip must have to make a body: without them no pose can be drawn. */
export const REQUIRED_ROLES: readonly Role[] = [
  'hips',
  'neck',
  'lShoulder',
  'rShoulder',
  'lHip',
  'rHip',
];

const CENTRE: Record<'hips' | 'neck' | 'head', readonly string[]> = {
  hips: ['hips', 'hip', 'pelvis', 'root'],
  neck: ['neck', 'lowerneck', 'neck1', 'neck01', 'cervical'],
  head: ['head'],
};
const SIDED: Record<string, readonly string[]> = {
  Shoulder: ['arm', 'uparm', 'upperarm', 'humerus', 'shoulder'],
  Elbow: ['forearm', 'lowerarm', 'elbow', 'radius'],
  Wrist: ['hand', 'wrist'],
  Hip: ['upleg', 'upperleg', 'thigh', 'femur', 'hip'],
  Knee: ['leg', 'lowerleg', 'lowleg', 'shin', 'calf', 'knee', 'tibia'],
  Ankle: ['foot', 'ankle'],
  Toe: ['toebase', 'toe', 'toes', 'ball'],
};
/** Words that name nothing about the bone (3ds Max Biped prefixes, "joint" suffixes). */
const NOISE = new Set(['bip01', 'bip001', 'joint', 'jnt', 'bone', 'bn', 'def', 'mixamorig']);

export interface NameParts {
  side: 'l' | 'r' | undefined;
  base: string;
}

/** "mixamorig:LeftUpLeg" → {side l, base "upleg"}; "Bip01 R UpperArm" → {side r, base "upperarm"}. */
export function nameParts(name: string): NameParts {
  const bare = name.replace(/^.*:/, '');
  const words = bare
    .split(/[\s_.\-|]+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/)
    .map((w) => w.toLowerCase())
    .filter((w) => w && !NOISE.has(w));
  let side: NameParts['side'];
  const rest: string[] = [];
  for (const w of words) {
    if (side === undefined && (w === 'left' || w === 'l')) side = 'l';
    else if (side === undefined && (w === 'right' || w === 'r')) side = 'r';
    else rest.push(w);
  }
  // CMU's "LHipJoint" and "lshoulder"-style names glue the side letter on
  if (side === undefined && rest.length === 1 && /^[lr](?=[a-z]{3})/.test(rest[0]!)) {
    const glued = rest[0]!.slice(1);
    if (Object.values(SIDED).some((list) => list.includes(glued))) {
      side = rest[0]![0] as 'l' | 'r';
      rest[0] = glued;
    }
  }
  return { side, base: rest.join('') };
}

export function detectFamily(joints: readonly BvhJoint[]): BvhFamily {
  const names = new Set(joints.map((j) => j.name));
  if (joints.some((j) => /^mixamorig\d*:/i.test(j.name))) return 'mixamo';
  if (names.has('LHipJoint') || names.has('RHipJoint') || names.has('LowerBack')) return 'cmu';
  if (names.has('Spine3') && names.has('LeftHandEnd') && names.has('RightHandThumb1'))
    return 'fair';
  return 'generic';
}

/**
 * A joint placed on its parent (zero offset, no position channels of its own): a helper that
 * duplicates the parent's point, as CMU's `LHipJoint` sits on the pelvis with the real hip
 * (`LeftHip`) below it. Taken for the hips it would put both hips on the pelvis.
 */
function onParent(j: BvhJoint): boolean {
  return (
    j.parent >= 0 &&
    j.offset.every((v) => Math.abs(v) < 1e-9) &&
    !j.channels.some((c) => c.kind === 'position')
  );
}

function depth(joints: readonly BvhJoint[], i: number): number {
  let d = 0;
  for (let p = joints[i]!.parent; p >= 0; p = joints[p]!.parent) d++;
  return d;
}

/** Maps roles to joints; a role no joint matches is absent (its points stay missing). */
export function mapJoints(joints: readonly BvhJoint[]): Partial<BvhMapping> {
  const parts = joints.map((j) => nameParts(j.name));
  const pick = (side: NameParts['side'], words: readonly string[]): number | undefined => {
    for (const w of words) {
      // A joint of its own place wins over a helper on its parent; then the one nearest the root
      // (CMU has Neck and Neck1; the first is the base of the neck).
      const rank = (i: number) => (onParent(joints[i]!) ? 1000 : 0) + depth(joints, i);
      let best: number | undefined;
      parts.forEach((p, i) => {
        if (p.side === side && p.base === w && (best === undefined || rank(i) < rank(best)))
          best = i;
      });
      if (best !== undefined) return best;
    }
    return undefined;
  };
  const map: Partial<BvhMapping> = {};
  for (const role of ['hips', 'neck', 'head'] as const) {
    const i = pick(undefined, CENTRE[role]);
    if (i !== undefined) map[role] = i;
  }
  if (map.hips === undefined && joints.length > 0) map.hips = 0; // the ROOT is the pelvis
  for (const [suffix, words] of Object.entries(SIDED))
    for (const side of ['l', 'r'] as const) {
      const i = pick(side, words);
      if (i !== undefined) map[`${side}${suffix}` as Role] = i;
    }
  return map;
}
