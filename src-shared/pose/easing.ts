import type { Easing } from './types';

/**
 * Easing curves for the segment between two keyframes: maps the linear progress u ∈ [0, 1] to the
 * eased progress. Hold stays at 0 until the next keyframe; cubic-bezier works like CSS
 * `cubic-bezier(x1, y1, x2, y2)` (solve x(t) = u for t, return y(t)); y may overshoot [0, 1].
 */
export type EasingFunction = (u: number) => number;

export function validateEasing(e: Easing): void {
  if (e.kind !== 'bezier') return;
  for (const [name, v] of [
    ['x1', e.x1],
    ['y1', e.y1],
    ['x2', e.x2],
    ['y2', e.y2],
  ] as const)
    if (!Number.isFinite(v))
      throw new RangeError(`cubic-bezier ${name} must be a finite number, got ${v}`);
  if (e.x1 < 0 || e.x1 > 1 || e.x2 < 0 || e.x2 > 1)
    throw new RangeError(`cubic-bezier x1 and x2 must lie in [0, 1], got ${e.x1} and ${e.x2}`);
}

/** Builds the easing function once (bezier coefficients precomputed), for use in hot loops. */
export function easingFunction(e: Easing): EasingFunction {
  validateEasing(e);
  switch (e.kind) {
    case 'hold':
      return (u) => (u >= 1 ? 1 : 0);
    case 'linear':
      return (u) => clamp01(u);
    case 'bezier':
      return cubicBezier(e.x1, e.y1, e.x2, e.y2);
  }
}

/** One-off evaluation of an easing (builds the curve each call; prefer easingFunction in loops). */
export function ease(e: Easing, u: number): number {
  return easingFunction(e)(u);
}

function clamp01(u: number): number {
  return u <= 0 ? 0 : u >= 1 ? 1 : u;
}

const NEWTON_ITERATIONS = 8;
const EPSILON = 1e-9;

/**
 * CSS cubic-bezier timing function (as in WebKit's UnitBezier): the curve runs from (0,0) through
 * control points (x1,y1), (x2,y2) to (1,1). x(t) is monotonic for x1, x2 ∈ [0,1], so x(t) = u has
 * one root: Newton's method from t = u, falling back to bisection when the slope is flat.
 */
export function cubicBezier(x1: number, y1: number, x2: number, y2: number): EasingFunction {
  const cx = 3 * x1;
  const bx = 3 * (x2 - x1) - cx;
  const ax = 1 - cx - bx;
  const cy = 3 * y1;
  const by = 3 * (y2 - y1) - cy;
  const ay = 1 - cy - by;
  const sampleX = (t: number): number => ((ax * t + bx) * t + cx) * t;
  const sampleY = (t: number): number => ((ay * t + by) * t + cy) * t;
  const slopeX = (t: number): number => (3 * ax * t + 2 * bx) * t + cx;
  const solveT = (x: number): number => {
    let t = x;
    for (let i = 0; i < NEWTON_ITERATIONS; i++) {
      const err = sampleX(t) - x;
      if (Math.abs(err) < EPSILON) return t;
      const d = slopeX(t);
      if (Math.abs(d) < 1e-7) break;
      t -= err / d;
    }
    let lo = 0;
    let hi = 1;
    t = x;
    while (lo < hi) {
      const v = sampleX(t);
      if (Math.abs(v - x) < EPSILON) return t;
      if (x > v) lo = t;
      else hi = t;
      const next = (lo + hi) / 2;
      if (next === t) break;
      t = next;
    }
    return t;
  };
  return (u) => {
    if (u <= 0) return 0;
    if (u >= 1) return 1;
    return sampleY(solveT(u));
  };
}
