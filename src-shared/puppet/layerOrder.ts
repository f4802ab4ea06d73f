/**
 * Drawing order of the puppet's parts where they overlap (a raised arm in front of the face, a
 * far arm behind the torso). Higher is nearer the viewer. The mesh rasterizer draws the parts'
 * triangles back to front in this order; stitched joints share vertices, so the order only shows
 * where parts overlap.
 *
 * Default: legs behind the torso, the head over it, arms in front, each forearm and hand over its
 * upper arm. When the reference looks like a profile (shoulders close together compared with the
 * torso), the far side's arm and leg go behind the torso. Facing image-left means the person's right
 * side is away from the viewer.
 */
import { Joint } from '#shared/pose/skeleton';
import { BONES, type BoneName, point } from './bones';

// Distinct layers half a unit apart, back to front, so any two parts have a clear order.
const BASE: Record<BoneName, number> = {
  rThigh: 0,
  rShin: 0.5,
  rFoot: 1,
  lThigh: 1.5,
  lShin: 2,
  lFoot: 2.5,
  torso: 3.5,
  head: 4,
  rUpperArm: 4.5,
  rForearm: 5,
  rHand: 5.5,
  lUpperArm: 6,
  lForearm: 6.5,
  lHand: 7,
};

export type LayerOverrides = Partial<Record<BoneName, number>>;

/** Which side faces away from the viewer in the reference pose, if it looks like a profile. */
export function farSide(ref: Float64Array): 'r' | 'l' | undefined {
  const rs = point(ref, Joint.rShoulder);
  const ls = point(ref, Joint.lShoulder);
  const neck = point(ref, Joint.neck);
  const nose = point(ref, Joint.nose);
  const hips = [point(ref, Joint.rHip), point(ref, Joint.lHip)].filter((p) => p !== undefined);
  if (!neck || !nose || hips.length === 0) return undefined;
  const hip = hips[0]!;
  const torso = Math.hypot(hip[0] - neck[0], hip[1] - neck[1]);
  const shoulders = rs && ls ? Math.hypot(rs[0] - ls[0], rs[1] - ls[1]) : 0;
  if (torso <= 0 || shoulders > 0.35 * torso) return undefined;
  return nose[0] < neck[0] ? 'r' : 'l';
}

export function layerOrder(ref: Float64Array, overrides: LayerOverrides = {}): number[] {
  const far = farSide(ref);
  return BONES.map((b) => {
    const given = overrides[b.name];
    if (given !== undefined) return given;
    const base = BASE[b.name];
    return far !== undefined && b.side === far ? base - 4 : base;
  });
}
