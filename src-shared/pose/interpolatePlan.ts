import { fitSimilarity, shortestArc } from './geometry';
import { FEET, FK_ORDER, PARENT, POINT_COUNT, RIGID_GROUPS } from './skeleton';
import { POINTS_LENGTH, STRIDE } from './types';

/**
 * The per-segment half of FK interpolation (see interpolate.ts): everything about a keyframe pair
 * that does not depend on u — bone angles, shortest-arc turns, lengths, rigid-group fits and the
 * treatment of points missing on one side — computed once into typed arrays.
 */

export const BODY_END = FEET.start + FEET.count; // 24: points 0–23 form the FK tree
export const BODY_FK_ORDER: readonly number[] = FK_ORDER.filter((i) => i < BODY_END);
export const BODY_ORDER = Int16Array.from(BODY_FK_ORDER);
export const GROUP_COUNT = RIGID_GROUPS.length;
export const GROUP_START = Int16Array.from(RIGID_GROUPS, (g) => g.range.start);
export const GROUP_SIZE = Int16Array.from(RIGID_GROUPS, (g) => g.range.count);
export const GROUP_ANCHOR = Int16Array.from(RIGID_GROUPS, (g) => g.anchor);

export const Kind = {
  Missing: 0,
  /** present in both, no ancestor present in both: straight line from A to B */
  Lerp: 1,
  /** present in both with an ancestor present in both: angle + length interpolation */
  Bone: 2,
  /** only in A: A's offset from its parent, turned with the parent's rotation since A */
  CarryA: 3,
  /** only in B: B's offset from its parent, turned with the parent's rotation still to come */
  CarryB: 4,
  /** only in A / only in B with no present ancestor: stays where it is */
  Hold: 5,
  /** point of a rigid group (face / hand) that has at least one point in both keyframes */
  Group: 6,
} as const;

/** Precomputed data of one keyframe segment; reusable for any number of in-between frames. */
export interface SegmentPlan {
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly kind: Uint8Array;
  readonly parent: Int16Array;
  /** Bone: angle0, dAngle, len0, dLen. Lerp: xA, yA, dx, dy. Carry: offset x, y. Hold: x, y. Group: L.x, L.y, D.x, D.y. */
  readonly p: Float64Array;
  /** Confidence in A and B (0 when missing there). */
  readonly cA: Float64Array;
  readonly cB: Float64Array;
  /** Rotation of each point's frame over the whole segment (for points carried from B). */
  readonly rhoTotal: Float64Array;
  /** Per rigid group: pivot mode (0 none, 1 anchor, 2 centroid), A/B pivot, angle, log-scale. */
  readonly groups: Float64Array;
  /** Scratch: rotation of each point's frame since A at the frame being evaluated. */
  readonly rho: Float64Array;
  /** Bone lengths are locked (see SegmentOptions): keyframes are not copied verbatim at u = 0 / 1. */
  readonly locked: boolean;
}

export interface SegmentOptions {
  /**
   * Locked bone lengths: lengths[i] > 0 is the length of the bone from PARENT[i] to body point i,
   * used at every u instead of interpolating (e.g. the character's proportions). Bones without a
   * positive entry, or whose parent is missing in a keyframe, interpolate as usual.
   */
  lengths?: Float64Array;
}

export const GROUP_STRIDE = 8; // mode, pivotAx, pivotAy, pivotBx, pivotBy, angle, logScale, unused

function has(points: Float64Array, i: number): boolean {
  return points[i * STRIDE + 2]! > 0;
}

/** Nearest ancestor of i (through PARENT, or `first` then PARENT) satisfying pred, or −1. */
function ancestor(first: number, pred: (j: number) => boolean): number {
  for (let j = first; j >= 0; j = PARENT[j]!) if (pred(j)) return j;
  return -1;
}

export function compileSegment(
  a: Float64Array,
  b: Float64Array,
  options: SegmentOptions = {},
): SegmentPlan {
  if (a.length !== POINTS_LENGTH || b.length !== POINTS_LENGTH)
    throw new RangeError(`keyframe points must hold ${POINTS_LENGTH} numbers`);
  const plan: SegmentPlan = {
    a,
    b,
    kind: new Uint8Array(POINT_COUNT),
    parent: new Int16Array(POINT_COUNT).fill(-1),
    p: new Float64Array(POINT_COUNT * 4),
    cA: new Float64Array(POINT_COUNT),
    cB: new Float64Array(POINT_COUNT),
    rhoTotal: new Float64Array(POINT_COUNT),
    groups: new Float64Array(RIGID_GROUPS.length * GROUP_STRIDE),
    rho: new Float64Array(POINT_COUNT),
    locked: options.lengths !== undefined,
  };
  for (let i = 0; i < POINT_COUNT; i++) {
    plan.cA[i] = has(a, i) ? a[i * STRIDE + 2]! : 0;
    plan.cB[i] = has(b, i) ? b[i * STRIDE + 2]! : 0;
  }
  for (const i of BODY_FK_ORDER) classifyTreePoint(plan, i, PARENT[i]!);
  const locked = options.lengths;
  if (locked)
    for (const i of BODY_FK_ORDER) {
      const len = locked[i] ?? 0;
      if (plan.kind[i] === Kind.Bone && plan.parent[i] === PARENT[i] && len > 0) {
        plan.p[i * 4 + 2] = len;
        plan.p[i * 4 + 3] = 0;
      }
    }
  RIGID_GROUPS.forEach((g, gi) => {
    const fit = fitSimilarity(a, b, g.range.start, g.range.count);
    const o = gi * GROUP_STRIDE;
    if (fit.count === 0) {
      // nothing to fit: every point rides on the anchor like a body point
      for (let k = 0; k < g.range.count; k++) classifyTreePoint(plan, g.range.start + k, g.anchor);
      return;
    }
    const anchorBoth = has(a, g.anchor) && has(b, g.anchor);
    const pax = anchorBoth ? a[g.anchor * STRIDE]! : fit.ax;
    const pay = anchorBoth ? a[g.anchor * STRIDE + 1]! : fit.ay;
    const pbx = anchorBoth ? b[g.anchor * STRIDE]! : fit.bx;
    const pby = anchorBoth ? b[g.anchor * STRIDE + 1]! : fit.by;
    const g_ = plan.groups;
    g_[o] = anchorBoth ? 1 : 2;
    g_[o + 1] = pax;
    g_[o + 2] = pay;
    g_[o + 3] = pbx;
    g_[o + 4] = pby;
    g_[o + 5] = fit.angle;
    g_[o + 6] = Math.log(fit.scale);
    // (sR)^-1 maps B's offsets back into A's frame
    const ic = Math.cos(-fit.angle) / fit.scale;
    const is = Math.sin(-fit.angle) / fit.scale;
    for (let k = 0; k < g.range.count; k++) {
      const i = g.range.start + k;
      const inA = has(a, i);
      const inB = has(b, i);
      if (!inA && !inB) continue;
      plan.kind[i] = Kind.Group;
      const q = i * 4;
      const lax = a[i * STRIDE]! - pax;
      const lay = a[i * STRIDE + 1]! - pay;
      const dbx = b[i * STRIDE]! - pbx;
      const dby = b[i * STRIDE + 1]! - pby;
      const lbx = ic * dbx - is * dby;
      const lby = is * dbx + ic * dby;
      if (inA && inB) {
        plan.p[q] = lax;
        plan.p[q + 1] = lay;
        plan.p[q + 2] = lbx - lax;
        plan.p[q + 3] = lby - lay;
      } else if (inA) {
        plan.p[q] = lax;
        plan.p[q + 1] = lay;
      } else {
        plan.p[q] = lbx;
        plan.p[q + 1] = lby;
      }
    }
  });
  return plan;
}

/** Classifies point i of the bone tree, whose tree parent is `parent` (−1 for the root). */
function classifyTreePoint(plan: SegmentPlan, i: number, parent: number): void {
  const { a, b, p } = plan;
  const inA = has(a, i);
  const inB = has(b, i);
  const q = i * 4;
  const o = i * STRIDE;
  if (inA && inB) {
    const par = parent < 0 ? -1 : ancestor(parent, (j) => has(a, j) && has(b, j));
    plan.parent[i] = par;
    if (par < 0) {
      plan.kind[i] = Kind.Lerp;
      p[q] = a[o]!;
      p[q + 1] = a[o + 1]!;
      p[q + 2] = b[o]! - a[o]!;
      p[q + 3] = b[o + 1]! - a[o + 1]!;
      return;
    }
    const po = par * STRIDE;
    const axv = a[o]! - a[po]!;
    const ayv = a[o + 1]! - a[po + 1]!;
    const bxv = b[o]! - b[po]!;
    const byv = b[o + 1]! - b[po + 1]!;
    const angA = Math.atan2(ayv, axv);
    const angB = Math.atan2(byv, bxv);
    const lenA = Math.hypot(axv, ayv);
    const lenB = Math.hypot(bxv, byv);
    plan.kind[i] = Kind.Bone;
    p[q] = angA;
    // a zero-length bone has no angle: turn it with nothing
    p[q + 1] = lenA === 0 || lenB === 0 ? 0 : shortestArc(angA, angB);
    if (lenA === 0) p[q] = angB;
    p[q + 2] = lenA;
    p[q + 3] = lenB - lenA;
    plan.rhoTotal[i] = p[q + 1]!;
    return;
  }
  if (!inA && !inB) return;
  const src = inA ? a : b;
  const par = parent < 0 ? -1 : ancestor(parent, (j) => has(src, j));
  plan.parent[i] = par;
  if (par < 0) {
    plan.kind[i] = Kind.Hold;
    p[q] = src[o]!;
    p[q + 1] = src[o + 1]!;
    return;
  }
  plan.kind[i] = inA ? Kind.CarryA : Kind.CarryB;
  p[q] = src[o]! - src[par * STRIDE]!;
  p[q + 1] = src[o + 1]! - src[par * STRIDE + 1]!;
  plan.rhoTotal[i] = plan.rhoTotal[par]!;
}

/**
 * Bone lengths to lock a lane to: for each body point, the length of its bone (to PARENT) in the
 * first keyframe that has both ends; 0 where no keyframe has the bone.
 */
export function boneLengthsOf(poses: readonly Float64Array[]): Float64Array {
  const lengths = new Float64Array(POINT_COUNT);
  for (const i of BODY_FK_ORDER) {
    const q = PARENT[i]!;
    if (q < 0) continue;
    for (const p of poses)
      if (has(p, i) && has(p, q)) {
        lengths[i] = Math.hypot(
          p[i * STRIDE]! - p[q * STRIDE]!,
          p[i * STRIDE + 1]! - p[q * STRIDE + 1]!,
        );
        break;
      }
  }
  return lengths;
}
