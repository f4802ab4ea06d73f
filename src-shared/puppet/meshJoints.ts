/**
 * Where two parts of the mesh stay stitched together. A child part and its parent share the mesh
 * vertices on their common border near the joint that connects them (the shoulder, the elbow), so
 * the skin bends there without a crack; further from the joint the border is cut, so an arm that
 * lay against the flank or a hand resting on the hip lifts off cleanly instead of dragging a web of
 * stretched triangles with it.
 */
import { Joint } from '#shared/pose/skeleton';
import { BONES, BONE_COUNT, point } from './bones';

/** Radius around the shoulder / hip, as a fraction of the torso length, inside which the torso and a limb stay stitched. */
export const TORSO_JOINT_RADIUS = 0.3;

export interface MeshJoints {
  /** Per bone: the joint to its parent ([x, y]) or undefined (stitched everywhere). */
  readonly at: readonly ([number, number] | undefined)[];
  /** Per bone: the stitching radius around that joint (px; Infinity: the whole border). */
  readonly radius: Float64Array;
  /** Torso length (neck to mid-hip) in the reference, px; 0 when unknown. */
  readonly torso: number;
}

/** The joint each bone hangs from: a limb's first segment point, a hand's wrist, the head's neck. */
function jointOf(k: number, ref: Float64Array): [number, number] | undefined {
  const bone = BONES[k]!;
  if (bone.segment) return point(ref, bone.segment[0]);
  if (bone.fitPoints) return point(ref, bone.fitPoints[0]!);
  return undefined;
}

export function meshJoints(ref: Float64Array): MeshJoints {
  const neck = point(ref, Joint.neck);
  const hips = [point(ref, Joint.rHip), point(ref, Joint.lHip)].filter((p) => p !== undefined);
  let torso = 0;
  if (neck && hips.length > 0) {
    const hx = hips.reduce((a, p) => a + p[0], 0) / hips.length;
    const hy = hips.reduce((a, p) => a + p[1], 0) / hips.length;
    torso = Math.hypot(hx - neck[0], hy - neck[1]);
  }
  const at = BONES.map((_, k) => (k === 0 ? undefined : jointOf(k, ref)));
  const radius = new Float64Array(BONE_COUNT).fill(Infinity);
  for (let k = 1; k < BONE_COUNT; k++) {
    // Limbs hanging from the torso (upper arms, thighs) touch it along the flank too: stitch only
    // around the shoulder or hip. The head meets the torso at the neck only; elbows, knees, wrists
    // and ankles are stitched across their whole border.
    if (BONES[k]!.parent === 0 && BONES[k]!.segment && torso > 0)
      radius[k] = TORSO_JOINT_RADIUS * torso;
  }
  return { at, radius, torso };
}

/** Whether parts a and b stay stitched at picture point (x, y). */
export function stitched(j: MeshJoints, a: number, b: number, x: number, y: number): boolean {
  const child = BONES[a]!.parent === b ? a : BONES[b]!.parent === a ? b : -1;
  if (child < 0) return false;
  const r = j.radius[child]!;
  if (r === Infinity) return true;
  const p = j.at[child];
  return p === undefined || Math.hypot(x - p[0], y - p[1]) <= r;
}

/**
 * The joints with the thighs in `underCover` unstitched: a leg that comes out from under a skirt
 * slides under it instead of dragging the hem along (its own hidden area continues it there).
 */
export function slidingUnder(j: MeshJoints, underCover: Uint8Array | undefined): MeshJoints {
  if (!underCover?.some((v) => v)) return j;
  const radius = Float64Array.from(j.radius, (r, k) => (underCover[k] ? 0 : r));
  return { ...j, radius };
}
