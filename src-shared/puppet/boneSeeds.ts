/**
 * Where each bone starts in the reference picture ("seeds"): limb segments, the torso's
 * shoulder–hip quad and spine, the head from the neck up over the skull, hands and feet from their
 * own points or a stub past the wrist / ankle. `partLabels` spreads them through the character's
 * pixels to say which part each pixel belongs to.
 */
import { Joint } from '#shared/pose/skeleton';
import { BONES, BONE_COUNT, point } from './bones';

type P = readonly [number, number];

export interface Seed {
  segments: (readonly [P, P])[];
  polygon?: P[];
}

const lerp = (a: P, b: P, t: number): P => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
const mid = (a: P, b: P): P => lerp(a, b, 0.5);

export function distToSegment(x: number, y: number, a: P, b: P): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const l2 = dx * dx + dy * dy;
  const t = l2 > 0 ? Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / l2)) : 0;
  return Math.hypot(x - a[0] - t * dx, y - a[1] - t * dy);
}

export function insidePolygon(x: number, y: number, poly: readonly P[]): boolean {
  let inside = false;
  // Indexed, not destructured: called for every cell of the torso's box, mostly before V8
  // optimises it, and array destructuring runs the iterator protocol until then.
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const xi = poly[i]![0];
    const yi = poly[i]![1];
    const xj = poly[j]![0];
    const yj = poly[j]![1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Reference geometry of each bone, from the reference pose (missing points → no seed). The torso's
 * quad is pulled `torsoPull` of the way toward its centre (0: the whole quad).
 */
export function boneSeeds(ref: Float64Array, torsoPull: number): Seed[] {
  const pt = (i: number) => point(ref, i);
  const seeds: Seed[] = BONES.map(() => ({ segments: [] }));
  const neck = pt(Joint.neck);
  const rHip = pt(Joint.rHip);
  const lHip = pt(Joint.lHip);
  const midHip = rHip && lHip ? mid(rHip, lHip) : (rHip ?? lHip);
  // Torso: the shoulder–hip quad and the spine.
  const quad = [pt(Joint.rShoulder), pt(Joint.lShoulder), lHip, rHip].filter(
    (p): p is [number, number] => p !== undefined,
  );
  // Pulled in, a pixel near the hip or shoulder line is closer to the limb's axis than to the
  // torso (the border moves into the torso); the mesh bends limbs about their joints, so it keeps
  // the quad nearly whole (`partLabels`).
  if (quad.length >= 3) {
    const cx = quad.reduce((a, p) => a + p[0], 0) / quad.length;
    const cy = quad.reduce((a, p) => a + p[1], 0) / quad.length;
    seeds[0]!.polygon = quad.map(
      (p) => [p[0] + (cx - p[0]) * torsoPull, p[1] + (cy - p[1]) * torsoPull] as const,
    );
  }
  if (neck && midHip) seeds[0]!.segments.push([neck, midHip]);
  else if (neck) seeds[0]!.segments.push([neck, neck]);
  // Head: from the nose up over the skull, plus eyes, ears and face points.
  const nose = pt(Joint.nose);
  // The neck between the shoulders' line and the nose moves with the head (a drawing's neck stick
  // is otherwise nearer an arm's shoulder than the spine and would leave with the arm).
  if (nose && neck) seeds[1]!.segments.push([lerp(neck, nose, 0.3), lerp(neck, nose, 1.6)]);
  for (const i of BONES[1]!.fitPoints!) {
    if (i === Joint.neck) continue;
    const p = pt(i);
    if (p) seeds[1]!.segments.push([p, p]);
  }
  // Limbs: their joint segments.
  for (let k = 0; k < BONE_COUNT; k++) {
    const seg = BONES[k]!.segment;
    if (!seg) continue;
    const a = pt(seg[0]);
    const b = pt(seg[1]);
    if (a && b) seeds[k]!.segments.push([a, b]);
  }
  // Hands and feet: their own points, else a stub continuing the limb past the wrist / ankle.
  const extremity = (k: number, joint: number, parentJoint: number, from: number, to: number) => {
    const j = pt(joint);
    if (!j) return;
    const own = BONES[k]!.fitPoints!.slice(1)
      .map(pt)
      .filter((p): p is [number, number] => p !== undefined);
    if (own.length > 0) {
      for (const p of own) seeds[k]!.segments.push([p, p]);
      return;
    }
    const pj = pt(parentJoint);
    if (pj) seeds[k]!.segments.push([lerp(pj, j, from), lerp(pj, j, to)]);
  };
  extremity(10, Joint.rWrist, Joint.rElbow, 1.2, 1.45);
  extremity(11, Joint.lWrist, Joint.lElbow, 1.2, 1.45);
  extremity(12, Joint.rAnkle, Joint.rKnee, 1.15, 1.3);
  extremity(13, Joint.lAnkle, Joint.lKnee, 1.15, 1.3);
  return seeds;
}
