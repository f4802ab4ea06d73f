/**
 * Where a moved limb was and where it went, for the "no leftover limb" check. Each character
 * pixel of the reference picture is given to its nearest bone (distance to the bone's segment);
 * a pixel about as near to a bone of another limb group is left unlabelled, so the check never
 * rests on a guess at a boundary. A limb is what hangs together along its bones: a piece of
 * pixels nearest to an arm's bone but not joined to the arm (the outline of a head the forearm
 * passes beside) is not the arm, and is left unlabelled too. Each limb's pixels are carried forward by their bone's map
 * (reference segment → target segment: rotation and stretch along the bone), which says where the
 * limb is in the frame. What the limb covered in the picture and does not cover in the frame is
 * the area it uncovered: there the frame must show no limb.
 */
import { Joint } from '#shared/pose/skeleton';
import { STRIDE } from '#shared/pose/types';
import { coveredLength } from '../coveredLegs';
import { COVERED_REACH_HALF_WIDTHS } from '../limbReach';
import { dilate } from '../mask';
import { pieceIds } from './regions';

export const LIMB_GROUPS = ['rightArm', 'leftArm', 'rightLeg', 'leftLeg'] as const;
export type LimbGroup = (typeof LIMB_GROUPS)[number];

/** Label values: 0 = outside or unsure, 1 = torso and head, 2 + k = LIMB_GROUPS[k]. */
export const BODY_LABEL = 1;
export const limbLabel = (g: LimbGroup) => 2 + LIMB_GROUPS.indexOf(g);

interface Bone {
  from: number;
  to: number;
  label: number;
}

const BONES: readonly Bone[] = [
  { from: Joint.neck, to: Joint.nose, label: BODY_LABEL },
  { from: Joint.neck, to: Joint.rHip, label: BODY_LABEL },
  { from: Joint.neck, to: Joint.lHip, label: BODY_LABEL },
  { from: Joint.rShoulder, to: Joint.lShoulder, label: BODY_LABEL },
  { from: Joint.rHip, to: Joint.lHip, label: BODY_LABEL },
  { from: Joint.rShoulder, to: Joint.rHip, label: BODY_LABEL },
  { from: Joint.lShoulder, to: Joint.lHip, label: BODY_LABEL },
  { from: Joint.rShoulder, to: Joint.rElbow, label: 2 },
  { from: Joint.rElbow, to: Joint.rWrist, label: 2 },
  { from: Joint.lShoulder, to: Joint.lElbow, label: 3 },
  { from: Joint.lElbow, to: Joint.lWrist, label: 3 },
  { from: Joint.rHip, to: Joint.rKnee, label: 4 },
  { from: Joint.rKnee, to: Joint.rAnkle, label: 4 },
  { from: Joint.lHip, to: Joint.lKnee, label: 5 },
  { from: Joint.lKnee, to: Joint.lAnkle, label: 5 },
];

/** The joint a limb group turns about (its seam with the body). */
export const LIMB_ROOT: Record<LimbGroup, number> = {
  rightArm: Joint.rShoulder,
  leftArm: Joint.lShoulder,
  rightLeg: Joint.rHip,
  leftLeg: Joint.lHip,
};

const has = (p: Float64Array, j: number) => p[j * STRIDE + 2]! > 0;
const pt = (p: Float64Array, j: number) => [p[j * STRIDE]!, p[j * STRIDE + 1]!] as const;
export { has as jointPresent, pt as jointAt };

function segmentDistance(x: number, y: number, a: readonly number[], b: readonly number[]): number {
  const dx = b[0]! - a[0]!;
  const dy = b[1]! - a[1]!;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((x - a[0]!) * dx + (y - a[1]!) * dy) / len2)) : 0;
  return Math.hypot(x - a[0]! - t * dx, y - a[1]! - t * dy);
}

export interface PartLabels {
  /** Per pixel: 0 outside/unsure, BODY_LABEL, or a limb label. */
  label: Uint8Array;
  /** Per pixel: index into the bone list of its nearest bone (−1 where unlabelled). */
  bone: Int16Array;
}

/**
 * Labels the mask's pixels by their nearest bone. A pixel whose nearest bone of another label is
 * within `unsure` px of its nearest bone's distance stays unlabelled.
 */
export function labelParts(
  mask: Uint8Array,
  width: number,
  height: number,
  pose: Float64Array,
  unsure = 3,
): PartLabels {
  const bones = BONES.map((b, k) => ({ ...b, k })).filter(
    (b) => has(pose, b.from) && has(pose, b.to),
  );
  const label = new Uint8Array(mask.length);
  const bone = new Int16Array(mask.length).fill(-1);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!mask[i]) continue;
      let best = Infinity;
      let bestBone = -1;
      const perLabel = new Map<number, number>();
      for (const b of bones) {
        const d = segmentDistance(x, y, pt(pose, b.from), pt(pose, b.to));
        perLabel.set(b.label, Math.min(perLabel.get(b.label) ?? Infinity, d));
        if (d < best) {
          best = d;
          bestBone = b.k;
        }
      }
      if (bestBone < 0) continue;
      const mine = BONES[bestBone]!.label;
      let rival = Infinity;
      for (const [l, d] of perLabel) if (l !== mine) rival = Math.min(rival, d);
      if (rival - best < unsure) continue;
      label[i] = mine;
      bone[i] = bestBone;
    }
  bodyOverCoveredLegs(label, bone, mask, width, height, pose);
  for (const l of new Set(bones.map((b) => b.label)))
    if (l !== BODY_LABEL) keepPiecesOnBones(label, bone, width, height, pose, l);
  return { label, bone };
}

/**
 * A skirt or dress over a leg is the body's, not the leg's: the leg's pixels above where it comes
 * out from under it, and beside it wider than the leg, go to the body. (This follows the product's
 * own rule, `coveredLength`: for a leg under a skirt the check is not independent of it.)
 */
function bodyOverCoveredLegs(
  label: Uint8Array,
  bone: Int16Array,
  mask: Uint8Array,
  width: number,
  height: number,
  pose: Float64Array,
): void {
  const grid = { x0: 0, y0: 0, w: width, h: height, scale: 1 };
  const hipLine = BONES.findIndex((b) => b.from === Joint.rHip && b.to === Joint.lHip);
  for (const [hip, knee, ankle] of [
    [Joint.rHip, Joint.rKnee, Joint.rAnkle],
    [Joint.lHip, Joint.lKnee, Joint.lAnkle],
  ] as const) {
    if (!has(pose, hip) || !has(pose, knee) || !has(pose, ankle)) continue;
    const covered = coveredLength(pt(pose, hip), pt(pose, knee), pt(pose, ankle), mask, grid);
    if (!covered) continue;
    const thigh = BONES.findIndex((b) => b.from === hip && b.to === knee);
    const shin = BONES.findIndex((b) => b.from === knee && b.to === ankle);
    const thighLength = Math.hypot(
      pt(pose, knee)[0] - pt(pose, hip)[0],
      pt(pose, knee)[1] - pt(pose, hip)[1],
    );
    for (let i = 0; i < label.length; i++) {
      const k = bone[i]!;
      if (k !== thigh && k !== shin) continue;
      const b = BONES[k]!;
      const a = pt(pose, b.from);
      const e = pt(pose, b.to);
      const dx = e[0] - a[0];
      const dy = e[1] - a[1];
      const len = Math.hypot(dx, dy);
      if (len === 0) continue;
      const along = ((i % width) - a[0]) * (dx / len) + (((i / width) | 0) - a[1]) * (dy / len);
      // Where it shows, the leg is as wide as the product lets it reach; the hem beside it and
      // everything above it is the skirt's.
      const x = i % width;
      const y = (i / width) | 0;
      const beside = segmentDistance(x, y, a, e) > COVERED_REACH_HALF_WIDTHS * covered.half;
      const fromHip = (k === shin ? thighLength : 0) + along;
      if (beside || fromHip < covered.length - covered.half) {
        label[i] = BODY_LABEL;
        bone[i] = hipLine;
      } else if (fromHip < covered.length + covered.half) {
        // Where the leg comes out from under the hem, unsure: no check rests on that boundary.
        label[i] = 0;
        bone[i] = -1;
      }
    }
  }
}

/**
 * Keeps of limb label `l` only the pieces its bones run through: along each bone, every pixel-step
 * the nearest pixel of the label marks its piece. Nearest-bone labelling alone hands a limb any
 * pixel closer to its bone than to the body's, even across a gap (measured on char4: the right
 * outline of the head, 191 px, labelled left arm; it never moves, so every motion counted it as
 * a leftover arm).
 */
function keepPiecesOnBones(
  label: Uint8Array,
  bone: Int16Array,
  width: number,
  height: number,
  pose: Float64Array,
  l: number,
): void {
  const mine = new Uint8Array(label.length);
  const at: number[] = [];
  for (let i = 0; i < label.length; i++)
    if (label[i] === l) {
      mine[i] = 1;
      at.push(i);
    }
  if (at.length === 0) return;
  const piece = pieceIds(mine, width, height);
  const kept = new Set<number>();
  for (const b of BONES) {
    if (b.label !== l || !has(pose, b.from) || !has(pose, b.to)) continue;
    const [ax, ay] = pt(pose, b.from);
    const [bx, by] = pt(pose, b.to);
    const steps = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay)));
    for (let s = 0; s <= steps; s++) {
      const x = ax + ((bx - ax) * s) / steps;
      const y = ay + ((by - ay) * s) / steps;
      let best = Infinity;
      let nearest = -1;
      for (const i of at) {
        const d = ((i % width) - x) ** 2 + (((i / width) | 0) - y) ** 2;
        if (d < best) {
          best = d;
          nearest = i;
        }
      }
      kept.add(piece[nearest]!);
    }
  }
  for (const i of at)
    if (!kept.has(piece[i]!)) {
      label[i] = 0;
      bone[i] = -1;
    }
}

/** The map of one bone from the reference to the target: rotation + stretch along the bone. */
function boneMap(ref: Float64Array, target: Float64Array, b: Bone) {
  const [ax, ay] = pt(ref, b.from);
  const [bx, by] = pt(ref, b.to);
  const [cx, cy] = pt(target, b.from);
  const [dx, dy] = pt(target, b.to);
  const l0 = Math.hypot(bx - ax, by - ay) || 1;
  const l1 = Math.hypot(dx - cx, dy - cy);
  const ux = (bx - ax) / l0;
  const uy = (by - ay) / l0;
  const vx = (dx - cx) / (l1 || 1);
  const vy = (dy - cy) / (l1 || 1);
  const k = l1 / l0;
  return (x: number, y: number): [number, number] => {
    const along = (x - ax) * ux + (y - ay) * uy;
    const across = -(x - ax) * uy + (y - ay) * ux;
    return [cx + along * k * vx - across * vy, cy + along * k * vy + across * vx];
  };
}

/** Where the pixels with label `label` land in the target pose (grown by 1 px to close gaps). */
export function limbCover(
  parts: PartLabels,
  width: number,
  height: number,
  ref: Float64Array,
  target: Float64Array,
  label: number,
): Uint8Array {
  const maps = BONES.map((b) =>
    b.label === label &&
    has(ref, b.from) &&
    has(ref, b.to) &&
    has(target, b.from) &&
    has(target, b.to)
      ? boneMap(ref, target, b)
      : undefined,
  );
  const cover = new Uint8Array(width * height);
  for (let i = 0; i < parts.label.length; i++) {
    if (parts.label[i] !== label) continue;
    const map = maps[parts.bone[i]!];
    if (!map) continue;
    const [x, y] = map(i % width, (i / width) | 0);
    const u = Math.round(x);
    const v = Math.round(y);
    if (u >= 0 && v >= 0 && u < width && v < height) cover[v * width + u] = 1;
  }
  return dilate(cover, width, height, 1);
}

/** Did a limb group move between the two poses (any of its joints by more than half a pixel)? */
export function limbMoved(ref: Float64Array, target: Float64Array, g: LimbGroup): boolean {
  const label = limbLabel(g);
  return BONES.some(
    (b) =>
      b.label === label &&
      [b.from, b.to].some(
        (j) =>
          has(ref, j) &&
          Math.hypot(ref[j * 3]! - target[j * 3]!, ref[j * 3 + 1]! - target[j * 3 + 1]!) > 0.5,
      ),
  );
}

/**
 * Where the character should be in the frame: the picture's character minus the moved limbs'
 * labelled pixels, plus where those limbs went (their covers). A frame pixel of the character
 * outside this (grown for seams and resampling) is unexplained: a ghost, a torn-off piece, a stub.
 */
export function expectedSilhouette(
  mask: Uint8Array,
  parts: PartLabels,
  moved: readonly number[],
  covers: readonly Uint8Array[],
): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++)
    out[i] = mask[i] && !moved.includes(parts.label[i]!) ? 1 : 0;
  for (const c of covers) for (let i = 0; i < c.length; i++) out[i] ||= c[i]!;
  return out;
}
