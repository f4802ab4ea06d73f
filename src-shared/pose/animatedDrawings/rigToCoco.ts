/**
 * An AnimatedDrawings rig (named joints) as a COCO-18 reference pose. In AnimatedDrawings' rigs
 * `neck` sits on the face and stands for the nose, `torso` for the neck; `root`/`hip` are the
 * pelvis, which COCO-18 has no point for (its hips carry it). Non-human rigs are mapped as far as
 * they go: one arm per side (the plain name, else a front `_f` one, else the lowest-numbered) and
 * one leg per side likewise. A rig with legs but no arms (a four-legged animal) drives its front
 * legs — those hanging nearest the chest (`torso`) rather than the pelvis (`root`) — as the arms
 * and its hind legs as the legs, so the body spans shoulders to hips the way the puppet's torso
 * expects. What is left out is said in a structured warning, never dropped silently.
 */
import { Joint } from '../skeleton';
import { emptyPoints, setPoint, type PoseFrame } from '../types';
import type { CharacterRig, RigJoint } from './characterConfig';

export type RigWarningCode = 'unmapped-joints' | 'missing-joints' | 'limb-variant-chosen';

export interface RigWarning {
  code: RigWarningCode;
  /** The rig's joint names (unmapped, chosen) or the COCO-18 joint names (missing). */
  joints: string[];
  message: string;
}

export interface RigPose {
  /** One person on the texture's canvas. */
  frame: PoseFrame;
  warnings: RigWarning[];
}

/** Single joints by AnimatedDrawings' name → the COCO-18 joint they stand for. */
const SINGLE: readonly (readonly [string, number, string])[] = [
  ['neck', Joint.nose, 'nose'],
  ['torso', Joint.neck, 'neck'],
];

/** Limbs: AnimatedDrawings' base names (root → tip) and their COCO-18 joints. */
const LIMBS = [
  {
    side: 'right',
    what: 'arm',
    names: ['shoulder', 'elbow', 'hand'],
    coco: [Joint.rShoulder, Joint.rElbow, Joint.rWrist],
    cocoNames: ['right shoulder', 'right elbow', 'right wrist'],
  },
  {
    side: 'left',
    what: 'arm',
    names: ['shoulder', 'elbow', 'hand'],
    coco: [Joint.lShoulder, Joint.lElbow, Joint.lWrist],
    cocoNames: ['left shoulder', 'left elbow', 'left wrist'],
  },
  {
    side: 'right',
    what: 'leg',
    names: ['hip', 'knee', 'foot'],
    coco: [Joint.rHip, Joint.rKnee, Joint.rAnkle],
    cocoNames: ['right hip', 'right knee', 'right ankle'],
  },
  {
    side: 'left',
    what: 'leg',
    names: ['hip', 'knee', 'foot'],
    coco: [Joint.lHip, Joint.lKnee, Joint.lAnkle],
    cocoNames: ['left hip', 'left knee', 'left ankle'],
  },
] as const;

const LEG_NAMES = ['hip', 'knee', 'foot'] as const;

/** The pelvis joints COCO-18 represents through its two hips: used, not "left out". */
const PELVIS = new Set(['root', 'hip']);

/** Which copy of a limb to take: the plain one, then front (`_f`), then the lowest number. */
function suffixRank(suffix: string): number {
  if (suffix === '') return -2;
  if (suffix === '_f') return -1;
  const n = /^_?(\d{1,6})$/.exec(suffix);
  return n ? Number(n[1]) : 1e9;
}

function variants(byName: Map<string, RigJoint>, prefix: string): string[] {
  const out: string[] = [];
  for (const name of byName.keys())
    if (name.startsWith(prefix)) out.push(name.slice(prefix.length));
  return out.sort((a, b) => suffixRank(a) - suffixRank(b) || a.localeCompare(b));
}

/**
 * A rig without arms but with two or more legs on each side: which leg copy (suffix) stands in for
 * each side's arm (the front: nearest the chest relative to the pelvis) and which for its leg (the
 * hind: nearest the pelvis). Undefined for any other rig.
 */
function legsAsArms(
  byName: Map<string, RigJoint>,
): Map<string, { arm: string; leg: string }> | undefined {
  if (variants(byName, 'right_shoulder').length + variants(byName, 'left_shoulder').length > 0)
    return undefined;
  const chest = byName.get('torso');
  const pelvis = byName.get('root') ?? byName.get('hip');
  const out = new Map<string, { arm: string; leg: string }>();
  for (const side of ['right', 'left']) {
    const suffixes = variants(byName, `${side}_hip`).filter((s) => s !== '');
    if (suffixes.length < 2) return undefined;
    // Frontness: how much nearer the chest than the pelvis the limb's hip is (suffix order breaks ties).
    const front = (s: string) => {
      const h = byName.get(`${side}_hip${s}`)!;
      if (!chest || !pelvis) return 0;
      return Math.hypot(h.x - pelvis.x, h.y - pelvis.y) - Math.hypot(h.x - chest.x, h.y - chest.y);
    };
    const ranked = [...suffixes].sort((a, b) => front(b) - front(a));
    out.set(side, { arm: ranked[0]!, leg: ranked[ranked.length - 1]! });
  }
  return out;
}

export function rigToCoco(rig: CharacterRig): RigPose {
  const byName = new Map(rig.joints.map((j) => [j.name, j]));
  const quadruped = legsAsArms(byName);
  const points = emptyPoints();
  const used = new Set<string>();
  const missing: string[] = [];
  const warnings: RigWarning[] = [];
  const place = (name: string, coco: number): boolean => {
    const j = byName.get(name);
    if (!j) return false;
    setPoint(points, coco, j.x, j.y, 1);
    used.add(name);
    return true;
  };
  for (const [name, coco, cocoName] of SINGLE) if (!place(name, coco)) missing.push(cocoName);
  for (const limb of LIMBS) {
    const stand = quadruped?.get(limb.side);
    // A four-legged rig's arms are its front legs (rig names hip/knee/foot).
    const names = stand && limb.what === 'arm' ? LEG_NAMES : limb.names;
    const suffixes = variants(byName, `${limb.side}_${names[0]}`);
    const suffix = stand ? (limb.what === 'arm' ? stand.arm : stand.leg) : (suffixes[0] ?? '');
    if (suffixes.length > 1 || (suffixes.length === 1 && suffix !== '')) {
      const chosen = names.map((n) => `${limb.side}_${n}${suffix}`).filter((n) => byName.has(n));
      const rigLimb = stand ? 'leg' : limb.what;
      warnings.push({
        code: 'limb-variant-chosen',
        joints: chosen,
        message: `the rig has ${suffixes.length} ${limb.side} ${rigLimb}${suffixes.length > 1 ? 's' : ''}${stand ? ' and no arms' : ''}; the ${limb.side} ${limb.what} of the pose uses ${chosen.join(', ')}`,
      });
    }
    names.forEach((n, k) => {
      if (!place(`${limb.side}_${n}${suffix}`, limb.coco[k]!)) missing.push(limb.cocoNames[k]!);
    });
  }
  const unmapped = rig.joints.map((j) => j.name).filter((n) => !used.has(n) && !PELVIS.has(n));
  if (unmapped.length > 0)
    warnings.push({
      code: 'unmapped-joints',
      joints: unmapped,
      message: `${unmapped.length} joint${unmapped.length > 1 ? 's' : ''} of the rig have no COCO-18 place and are left out: ${unmapped.join(', ')}`,
    });
  if (missing.length > 0)
    warnings.push({
      code: 'missing-joints',
      joints: missing,
      message: `the rig has no ${missing.join(', ')}: those points are missing from the pose`,
    });
  return {
    frame: { width: rig.width, height: rig.height, people: [{ id: 0, points }] },
    warnings,
  };
}
