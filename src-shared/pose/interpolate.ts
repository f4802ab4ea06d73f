import {
  BODY_ORDER as PLAN_BODY_ORDER,
  GROUP_ANCHOR as PLAN_GROUP_ANCHOR,
  GROUP_COUNT as PLAN_GROUP_COUNT,
  GROUP_SIZE as PLAN_GROUP_SIZE,
  GROUP_START as PLAN_GROUP_START,
  GROUP_STRIDE as PLAN_GROUP_STRIDE,
  Kind as PlanKind,
  compileSegment,
  type SegmentOptions,
  type SegmentPlan,
} from './interpolatePlan';
import { POINTS_LENGTH, STRIDE } from './types';

export { boneLengthsOf, compileSegment } from './interpolatePlan';
export type { SegmentOptions, SegmentPlan } from './interpolatePlan';

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

// Module-local copies: the hot loop below then reads plain constants, whatever module system
// the code is loaded through (live import bindings can cost a property load each).
const BODY_ORDER = PLAN_BODY_ORDER;
const GROUP_ANCHOR = PLAN_GROUP_ANCHOR;
const GROUP_COUNT = PLAN_GROUP_COUNT;
const GROUP_SIZE = PLAN_GROUP_SIZE;
const GROUP_START = PLAN_GROUP_START;
const GROUP_STRIDE = PLAN_GROUP_STRIDE;
const Kind = {
  Missing: PlanKind.Missing,
  Lerp: PlanKind.Lerp,
  Bone: PlanKind.Bone,
  CarryA: PlanKind.CarryA,
  CarryB: PlanKind.CarryB,
  Hold: PlanKind.Hold,
} as const;
const MISSING = PlanKind.Missing;
const BONE = PlanKind.Bone;

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
    if (k === BONE) {
      const d = p[q + 1]! * u;
      const ang = p[q]! + d;
      const len = p[q + 2]! + p[q + 3]! * u;
      out[o] = out[par * STRIDE]! + len * Math.cos(ang);
      out[o + 1] = out[par * STRIDE + 1]! + len * Math.sin(ang);
      out[o + 2] = cA[i]! + (cB[i]! - cA[i]!) * uc;
      rho[i] = d;
    } else if (k === MISSING) {
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
