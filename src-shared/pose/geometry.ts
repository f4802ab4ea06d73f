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

/** A 2-D point [x, y]. */
export type Point = readonly [number, number];

/**
 * The least-squares sums of a 2-D similarity fit (Umeyama) of `src[i]` onto `dst[i]`: the
 * centroids and, over the centred points p (src) and q (dst), dot = Σ p·q, cross = Σ p×q and
 * norm = Σ |p|². The best similarity has scale·cos(angle) = dot/norm, scale·sin(angle) =
 * cross/norm. The one solver behind every similarity fit (poses, puppet bones); each caller
 * decides what a degenerate fit (norm or dot and cross ≈ 0) means for it.
 */
export interface SimilaritySums {
  count: number;
  ax: number;
  ay: number;
  bx: number;
  by: number;
  dot: number;
  cross: number;
  norm: number;
}

export function similaritySums(src: readonly Point[], dst: readonly Point[]): SimilaritySums {
  const n = Math.min(src.length, dst.length);
  let ax = 0;
  let ay = 0;
  let bx = 0;
  let by = 0;
  for (let i = 0; i < n; i++) {
    ax += src[i]![0];
    ay += src[i]![1];
    bx += dst[i]![0];
    by += dst[i]![1];
  }
  if (n === 0) return { count: 0, ax: 0, ay: 0, bx: 0, by: 0, dot: 0, cross: 0, norm: 0 };
  ax /= n;
  ay /= n;
  bx /= n;
  by /= n;
  let dot = 0;
  let cross = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const px = src[i]![0] - ax;
    const py = src[i]![1] - ay;
    const qx = dst[i]![0] - bx;
    const qy = dst[i]![1] - by;
    dot += px * qx + py * qy;
    cross += px * qy - py * qx;
    norm += px * px + py * py;
  }
  return { count: n, ax, ay, bx, by, dot, cross, norm };
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
  const src: Point[] = [];
  const dst: Point[] = [];
  for (let i = start; i < start + count; i++) {
    const o = i * STRIDE;
    if (a[o + 2]! > 0 && b[o + 2]! > 0) {
      src.push([a[o]!, a[o + 1]!]);
      dst.push([b[o]!, b[o + 1]!]);
    }
  }
  const { count: n, ax, ay, bx, by, dot, cross, norm } = similaritySums(src, dst);
  if (n === 0) return { angle: 0, scale: 1, ax: 0, ay: 0, bx: 0, by: 0, count: 0 };
  const len = Math.hypot(dot, cross);
  if (n < 2 || norm < 1e-12 || len < 1e-12) return { angle: 0, scale: 1, ax, ay, bx, by, count: n };
  return { angle: Math.atan2(cross, dot), scale: len / norm, ax, ay, bx, by, count: n };
}

/** x' = a·x + c·y + tx, y' = b·x + d·y + ty. */
export interface AffineCoefficients {
  a: number;
  b: number;
  c: number;
  d: number;
  tx: number;
  ty: number;
}

/**
 * Least-squares 6-DOF affine map of `src[i]` onto `dst[i]` (normal equations with design rows
 * (x, y, 1), solved by Cramer's rule for both output coordinates). Undefined for fewer than three
 * pairs, points (nearly) on one line, or a non-finite result. Exact when the points moved
 * affinely. The one solver behind the puppet's bone fits and PoseCrafter's latent edit.
 */
export function fitAffineLeastSquares(
  src: readonly Point[],
  dst: readonly Point[],
): AffineCoefficients | undefined {
  const n = Math.min(src.length, dst.length);
  if (n < 3) return undefined;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  let sx = 0;
  let sy = 0;
  let bx0 = 0;
  let bx1 = 0;
  let bx2 = 0;
  let by0 = 0;
  let by1 = 0;
  let by2 = 0;
  for (let i = 0; i < n; i++) {
    const [x, y] = src[i]!;
    const [u, v] = dst[i]!;
    sxx += x * x;
    sxy += x * y;
    syy += y * y;
    sx += x;
    sy += y;
    bx0 += x * u;
    bx1 += y * u;
    bx2 += u;
    by0 += x * v;
    by1 += y * v;
    by2 += v;
  }
  const m = [sxx, sxy, sx, sxy, syy, sy, sx, sy, n];
  const det =
    m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) -
    m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) +
    m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!);
  // Relative test: collinear points make the system (nearly) singular.
  const scale = Math.max(1, sxx + syy) ** 2 * n;
  if (!(Math.abs(det) >= 1e-9 * scale)) return undefined;
  const solve = (r0: number, r1: number, r2: number): [number, number, number] => {
    const d0 =
      r0 * (m[4]! * m[8]! - m[5]! * m[7]!) -
      m[1]! * (r1 * m[8]! - m[5]! * r2) +
      m[2]! * (r1 * m[7]! - m[4]! * r2);
    const d1 =
      m[0]! * (r1 * m[8]! - m[5]! * r2) -
      r0 * (m[3]! * m[8]! - m[5]! * m[6]!) +
      m[2]! * (m[3]! * r2 - r1 * m[6]!);
    const d2 =
      m[0]! * (m[4]! * r2 - r1 * m[7]!) -
      m[1]! * (m[3]! * r2 - r1 * m[6]!) +
      r0 * (m[3]! * m[7]! - m[4]! * m[6]!);
    return [d0 / det, d1 / det, d2 / det];
  };
  const [a, c, tx] = solve(bx0, bx1, bx2);
  const [b, d, ty] = solve(by0, by1, by2);
  return [a, b, c, d, tx, ty].every(Number.isFinite) ? { a, b, c, d, tx, ty } : undefined;
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
