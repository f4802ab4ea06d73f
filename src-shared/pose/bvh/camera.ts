import { Joint } from '#shared/pose/skeleton';
import { cross, unit } from './body3d';

/**
 * The camera a 3-D clip is seen through. It is fixed for the whole clip and set from the
 * performer at frame 0, so a performer who turns is seen turning:
 * - up: the world axis nearest the clip's mean hips → neck direction (mocap worlds are Y-up or
 *   Z-up; snapping keeps the floor level);
 * - front: facing the performer's chest at frame 0; side: from their left (they face image
 *   left); 3q: halfway between (45°);
 * - ortho: parallel projection; perspective: a pinhole 2.5 body heights from the performer's
 *   frame-0 neck, scaled so that depth is 1:1 there.
 */
export const BVH_CAMERAS = ['front', 'side', '3q'] as const;
export const BVH_PROJECTIONS = ['ortho', 'perspective'] as const;
export type BvhCamera = (typeof BVH_CAMERAS)[number];
export type BvhProjection = (typeof BVH_PROJECTIONS)[number];

const YAW: Record<BvhCamera, number> = { front: 0, '3q': Math.PI / 4, side: Math.PI / 2 };
/** Camera distance for perspective, in body heights (a full-body shot with a normal lens). */
export const PERSPECTIVE_DISTANCE = 2.5;

export interface CameraBasis {
  right: number[];
  up: number[];
  /** Towards the camera. */
  toward: number[];
}

const v = (p: Float64Array, i: number) => [p[3 * i]!, p[3 * i + 1]!, p[3 * i + 2]!];

/** The world axis (±X, ±Y, ±Z) nearest `d`. */
function snapToAxis(d: number[]): number[] {
  let best = 0;
  for (let k = 1; k < 3; k++) if (Math.abs(d[k]!) > Math.abs(d[best]!)) best = k;
  const out = [0, 0, 0];
  out[best] = Math.sign(d[best]!) || 1;
  return out;
}

export function cameraBasis(frames: readonly Float64Array[], camera: BvhCamera): CameraBasis {
  const sum = [0, 0, 0];
  for (const p of frames) {
    const n = v(p, Joint.neck);
    const h = v(p, Joint.lHip).map((x, k) => (x + v(p, Joint.rHip)[k]!) / 2);
    const d = n.map((x, k) => x - h[k]!);
    if (d.every(Number.isFinite)) d.forEach((x, k) => (sum[k]! += x));
  }
  const up = snapToAxis(sum);
  const first = frames[0]!;
  let lat = v(first, Joint.lHip).map((x, k) => x - v(first, Joint.rHip)[k]!);
  if (!lat.every(Number.isFinite))
    lat = v(first, Joint.lShoulder).map((x, k) => x - v(first, Joint.rShoulder)[k]!);
  const along = lat.reduce((s, x, k) => s + x * up[k]!, 0);
  let left = unit(lat.map((x, k) => x - along * up[k]!));
  if (!left.every(Number.isFinite) || left.every((x) => x === 0))
    left = unit(cross(up, [up[1]!, up[2]!, up[0]!]));
  const forward = cross(left, up);
  const a = YAW[camera];
  const right = left.map((x, k) => Math.cos(a) * x - Math.sin(a) * forward[k]!);
  const toward = forward.map((x, k) => Math.cos(a) * x + Math.sin(a) * left[k]!);
  return { right, up, toward };
}

export interface Projector {
  basis: CameraBasis;
  projection: BvhProjection;
  /** The point that projects 1:1 (perspective) and the centre of the view. */
  centre: number[];
  distance: number;
}

/** Image-plane coordinates (x right, y down) of a 3-D point, in the 3-D units. */
export function project(pr: Projector, p: ArrayLike<number>, out: number[]): void {
  const d = [0, 1, 2].map((k) => p[k]! - pr.centre[k]!);
  const x = d[0]! * pr.basis.right[0]! + d[1]! * pr.basis.right[1]! + d[2]! * pr.basis.right[2]!;
  const y = -(d[0]! * pr.basis.up[0]! + d[1]! * pr.basis.up[1]! + d[2]! * pr.basis.up[2]!);
  let s = 1;
  if (pr.projection === 'perspective') {
    const z =
      d[0]! * pr.basis.toward[0]! + d[1]! * pr.basis.toward[1]! + d[2]! * pr.basis.toward[2]!;
    // a point at or behind the lens has no image: hold it at 20× rather than dividing by ~0
    s = pr.distance / Math.max(pr.distance - z, pr.distance / 20);
  }
  out[0] = x * s;
  out[1] = y * s;
}

/** Height of the performer at frame 0 along `up` (the extent of the present points). */
export function bodyHeight(p: Float64Array, up: number[]): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; 3 * i < p.length; i++) {
    if (Number.isNaN(p[3 * i]!)) continue;
    const h = p[3 * i]! * up[0]! + p[3 * i + 1]! * up[1]! + p[3 * i + 2]! * up[2]!;
    lo = Math.min(lo, h);
    hi = Math.max(hi, h);
  }
  return hi > lo ? hi - lo : 1;
}
