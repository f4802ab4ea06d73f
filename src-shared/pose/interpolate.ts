import { fitSimilarity, shortestArc } from './geometry';
import { FEET, FK_ORDER, PARENT, POINT_COUNT, RIGID_GROUPS } from './skeleton';
import { POINTS_LENGTH, STRIDE } from './types';

/**
 * Forward-kinematics interpolation between two keyframe poses of one person.
 *
 * Body and feet (points 0–23) are a bone tree rooted at the neck: the root moves in a straight
 * line, each bone's world angle turns along the shortest arc and its length changes linearly, so a
 * rotating limb never shrinks mid-tween. Face and hands move as rigid similarity transforms
 * (rotation + uniform scale fitted to the points both keyframes have) pivoting on their anchor
 * joint (nose, wrists); changes of shape inside them (a hand closing) blend linearly in the
 * group's own rotated frame.
 *
 * Points missing in one keyframe: they ride along with their nearest present ancestor, keeping the
 * offset they have in the keyframe that has them (rotated with that ancestor's bone), and are
 * shown on the half of the segment nearer that keyframe (eased u < 0.5 when only the start has
 * them, u ≥ 0.5 when only the end has them). Missing in both stays missing.
 *
 * All per-segment work (angles, lengths, fits, offsets) happens once in compileSegment; evaluating
 * a frame is a single pass over the points with no allocation.
 */

const BODY_END = FEET.start + FEET.count; // 24: points 0–23 form the FK tree
const BODY_FK_ORDER: readonly number[] = FK_ORDER.filter((i) => i < BODY_END);
const BODY_ORDER = Int16Array.from(BODY_FK_ORDER);
const GROUP_COUNT = RIGID_GROUPS.length;
const GROUP_START = Int16Array.from(RIGID_GROUPS, (g) => g.range.start);
const GROUP_SIZE = Int16Array.from(RIGID_GROUPS, (g) => g.range.count);
const GROUP_ANCHOR = Int16Array.from(RIGID_GROUPS, (g) => g.anchor);

const enum Kind {
  Missing = 0,
  /** present in both, no ancestor present in both: straight line from A to B */
  Lerp = 1,
  /** present in both with an ancestor present in both: angle + length interpolation */
  Bone = 2,
  /** only in A: A's offset from its parent, turned with the parent's rotation since A */
  CarryA = 3,
  /** only in B: B's offset from its parent, turned with the parent's rotation still to come */
  CarryB = 4,
  /** only in A / only in B with no present ancestor: stays where it is */
  Hold = 5,
  /** point of a rigid group (face / hand) that has at least one point in both keyframes */
  Group = 6,
}

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

const GROUP_STRIDE = 8; // mode, pivotAx, pivotAy, pivotBx, pivotBy, angle, logScale, unused

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
 * Writes the pose at eased progress u (0 = keyframe A, 1 = keyframe B; values outside [0, 1] from
 * an overshooting bezier extrapolate) into `out` (POINTS_LENGTH numbers).
 */
export function evaluateSegment(plan: SegmentPlan, u: number, out: Float64Array): void {
  if (u === 0 && !plan.locked) {
    out.set(plan.a);
    return;
  }
  if (u === 1 && !plan.locked) {
    out.set(plan.b);
    return;
  }
  const { kind, parent, p, cA, cB, rho, rhoTotal } = plan;
  const uc = u < 0 ? 0 : u > 1 ? 1 : u;
  const showA = u < 0.5;
  // Body and feet, parents first. Written out inline: this loop is the hot path of playback.
  for (let n = 0; n < BODY_ORDER.length; n++) {
    const i = BODY_ORDER[n]!;
    const k = kind[i]!;
    const q = i * 4;
    const o = i * STRIDE;
    const par = parent[i]!;
    if (k === Kind.Bone) {
      const d = p[q + 1]! * u;
      const ang = p[q]! + d;
      const len = p[q + 2]! + p[q + 3]! * u;
      out[o] = out[par * STRIDE]! + len * Math.cos(ang);
      out[o + 1] = out[par * STRIDE + 1]! + len * Math.sin(ang);
      out[o + 2] = cA[i]! + (cB[i]! - cA[i]!) * uc;
      rho[i] = d;
    } else if (k === Kind.Missing) {
      out[o] = 0;
      out[o + 1] = 0;
      out[o + 2] = 0;
      rho[i] = 0;
    } else {
      evaluateTreePoint(k, i, par, p, rho, rhoTotal, u, out);
      out[o + 2] = confidence(k, cA[i]!, cB[i]!, uc, showA);
    }
  }
  const g = plan.groups;
  for (let gi = 0; gi < GROUP_COUNT; gi++) {
    const o = gi * GROUP_STRIDE;
    const start = GROUP_START[gi]!;
    const end = start + GROUP_SIZE[gi]!;
    const mode = g[o]!;
    if (mode === 0) {
      for (let i = start; i < end; i++) {
        evaluateTreePoint(kind[i]!, i, parent[i]!, p, rho, rhoTotal, u, out);
        out[i * STRIDE + 2] = confidence(kind[i]!, cA[i]!, cB[i]!, uc, showA);
      }
      continue;
    }
    let px: number;
    let py: number;
    if (mode === 1) {
      const anchor = GROUP_ANCHOR[gi]!;
      px = out[anchor * STRIDE]!;
      py = out[anchor * STRIDE + 1]!;
    } else {
      px = g[o + 1]! + (g[o + 3]! - g[o + 1]!) * u;
      py = g[o + 2]! + (g[o + 4]! - g[o + 2]!) * u;
    }
    const angle = g[o + 5]! * u;
    const logScale = g[o + 6]! * u;
    const scale = logScale === 0 ? 1 : Math.exp(logScale);
    const c = scale * Math.cos(angle);
    const s = scale * Math.sin(angle);
    for (let i = start; i < end; i++) {
      const oo = i * STRIDE;
      const ca = cA[i]!;
      const cb = cB[i]!;
      if (ca > 0 && cb > 0) {
        const q = i * 4;
        const lx = p[q]! + p[q + 2]! * u;
        const ly = p[q + 1]! + p[q + 3]! * u;
        out[oo] = px + c * lx - s * ly;
        out[oo + 1] = py + s * lx + c * ly;
        out[oo + 2] = ca + (cb - ca) * uc;
      } else if (ca > 0 || cb > 0) {
        const q = i * 4;
        const lx = p[q]!;
        const ly = p[q + 1]!;
        out[oo] = px + c * lx - s * ly;
        out[oo + 1] = py + s * lx + c * ly;
        out[oo + 2] = ca > 0 ? (showA ? ca : 0) : showA ? 0 : cb;
      } else {
        out[oo] = 0;
        out[oo + 1] = 0;
        out[oo + 2] = 0;
      }
    }
  }
}

function confidence(k: number, ca: number, cb: number, uc: number, showA: boolean): number {
  if (k === Kind.Missing) return 0;
  if (ca > 0 && cb > 0) return ca + (cb - ca) * uc;
  if (ca > 0) return showA ? ca : 0;
  return showA ? 0 : cb;
}

function evaluateTreePoint(
  k: number,
  i: number,
  par: number,
  p: Float64Array,
  rho: Float64Array,
  rhoTotal: Float64Array,
  u: number,
  out: Float64Array,
): void {
  const q = i * 4;
  const o = i * STRIDE;
  switch (k) {
    case Kind.Bone: {
      const d = p[q + 1]! * u;
      const ang = p[q]! + d;
      const len = p[q + 2]! + p[q + 3]! * u;
      out[o] = out[par * STRIDE]! + len * Math.cos(ang);
      out[o + 1] = out[par * STRIDE + 1]! + len * Math.sin(ang);
      rho[i] = d;
      return;
    }
    case Kind.Lerp:
      out[o] = p[q]! + p[q + 2]! * u;
      out[o + 1] = p[q + 1]! + p[q + 3]! * u;
      rho[i] = 0;
      return;
    case Kind.CarryA:
    case Kind.CarryB: {
      const r = k === Kind.CarryA ? rho[par]! : rho[par]! - rhoTotal[par]!;
      const ox = p[q]!;
      const oy = p[q + 1]!;
      if (r === 0) {
        out[o] = out[par * STRIDE]! + ox;
        out[o + 1] = out[par * STRIDE + 1]! + oy;
      } else {
        const c = Math.cos(r);
        const s = Math.sin(r);
        out[o] = out[par * STRIDE]! + c * ox - s * oy;
        out[o + 1] = out[par * STRIDE + 1]! + s * ox + c * oy;
      }
      rho[i] = rho[par]!;
      return;
    }
    case Kind.Hold:
      out[o] = p[q]!;
      out[o + 1] = p[q + 1]!;
      rho[i] = 0;
      return;
    default:
      out[o] = 0;
      out[o + 1] = 0;
      rho[i] = 0;
  }
}

/** One-off interpolation of two poses at eased progress u (compiles the segment each call). */
export function interpolatePoses(
  a: Float64Array,
  b: Float64Array,
  u: number,
  options: SegmentOptions = {},
): Float64Array {
  const out = new Float64Array(POINTS_LENGTH);
  evaluateSegment(compileSegment(a, b, options), u, out);
  return out;
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
