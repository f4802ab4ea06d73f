/**
 * An AnimatedDrawings rig (named joints) as a COCO-18 reference pose. In AnimatedDrawings' rigs
 * `neck` sits on the face and stands for the nose, `torso` for the neck; `root`/`hip` are the
 * pelvis, which COCO-18 has no point for (its hips carry it). Non-human rigs are mapped as far as
 * they go: one arm per side (the plain name, else a front `_f` one, else the lowest-numbered) and
 * one leg per side likewise; what is left out is said in a structured warning, never dropped
 * silently.
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

export function rigToCoco(rig: CharacterRig): RigPose {
  const byName = new Map(rig.joints.map((j) => [j.name, j]));
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
    const suffixes = variants(byName, `${limb.side}_${limb.names[0]}`);
    const suffix = suffixes[0] ?? '';
    if (suffixes.length > 1 || (suffixes.length === 1 && suffix !== '')) {
      const chosen = limb.names
        .map((n) => `${limb.side}_${n}${suffix}`)
        .filter((n) => byName.has(n));
      warnings.push({
        code: 'limb-variant-chosen',
        joints: chosen,
        message: `the rig has ${suffixes.length} ${limb.side} ${limb.what}${suffixes.length > 1 ? 's' : ''}; the pose uses ${chosen.join(', ')}`,
      });
    }
    limb.names.forEach((n, k) => {
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
