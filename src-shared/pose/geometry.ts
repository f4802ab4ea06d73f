import { Joint } from './skeleton';
import { STRIDE } from './types';

/** Small 2-D helpers shared by interpolation, retargeting and pose distance. */

const TWO_PI = 2 * Math.PI;

/** The signed angle (radians, in [−π, π)) that turns `from` into `to` along the shortest arc. */
export function shortestArc(from: number, to: number): number {
  let d = (to - from) % TWO_PI;
  if (d >= Math.PI) d -= TWO_PI;
  else if (d < -Math.PI) d += TWO_PI;
  return d;
}

/** Result of fitting b ≈ s·R(angle)·a (+ translation) to matched point sets. */
export interface Similarity {
  /** Rotation in radians. */
  angle: number;
  /** Uniform scale (> 0). */
  scale: number;
  /** Centroids of the matched points in a and in b. */
  ax: number;
  ay: number;
  bx: number;
  by: number;
  /** Number of points present in both sets that the fit used. */
  count: number;
}

/**
 * Least-squares similarity (rotation + uniform scale + translation, Umeyama in 2-D) mapping the
 * points of `a` onto those of `b`, over the points of [start, start + count) present in both.
 * With fewer than two common points (or all of them on one spot) rotation 0 and scale 1 are
 * returned, with the centroids of whatever was common.
 */
export function fitSimilarity(
  a: Float64Array,
  b: Float64Array,
  start: number,
  count: number,
): Similarity {
  let n = 0;
  let ax = 0;
  let ay = 0;
  let bx = 0;
  let by = 0;
  for (let i = start; i < start + count; i++) {
    const o = i * STRIDE;
    if (a[o + 2]! > 0 && b[o + 2]! > 0) {
      ax += a[o]!;
      ay += a[o + 1]!;
      bx += b[o]!;
      by += b[o + 1]!;
      n++;
    }
  }
  if (n === 0) return { angle: 0, scale: 1, ax: 0, ay: 0, bx: 0, by: 0, count: 0 };
  ax /= n;
  ay /= n;
  bx /= n;
  by /= n;
  let dot = 0;
  let cross = 0;
  let norm = 0;
  for (let i = start; i < start + count; i++) {
    const o = i * STRIDE;
    if (a[o + 2]! > 0 && b[o + 2]! > 0) {
      const px = a[o]! - ax;
      const py = a[o + 1]! - ay;
      const qx = b[o]! - bx;
      const qy = b[o + 1]! - by;
      dot += px * qx + py * qy;
      cross += px * qy - py * qx;
      norm += px * px + py * py;
    }
  }
  const len = Math.hypot(dot, cross);
  if (n < 2 || norm < 1e-12 || len < 1e-12) return { angle: 0, scale: 1, ax, ay, bx, by, count: n };
  return { angle: Math.atan2(cross, dot), scale: len / norm, ax, ay, bx, by, count: n };
}

/**
 * The mid-hip point (mean of the hips present) written to out[0], out[1]; false when neither hip
 * is present.
 */
export function midHip(points: Float64Array, out: Float64Array | number[]): boolean {
  const r = Joint.rHip * STRIDE;
  const l = Joint.lHip * STRIDE;
  const hasR = points[r + 2]! > 0;
  const hasL = points[l + 2]! > 0;
  if (hasR && hasL) {
    out[0] = (points[r]! + points[l]!) / 2;
    out[1] = (points[r + 1]! + points[l + 1]!) / 2;
  } else if (hasR || hasL) {
    const o = hasR ? r : l;
    out[0] = points[o]!;
    out[1] = points[o + 1]!;
  } else return false;
  return true;
}

/**
 * Torso size: distance from the neck to the mid-hip, or NaN when the neck or both hips are
 * missing. Used as the body's scale (for retargeting and normalised pose distance).
 */
export function torsoSize(points: Float64Array): number {
  const n = Joint.neck * STRIDE;
  if (!(points[n + 2]! > 0)) return NaN;
  const hip = [0, 0];
  if (!midHip(points, hip)) return NaN;
  return Math.hypot(points[n]! - hip[0]!, points[n + 1]! - hip[1]!);
}
