import { fitAffineLeastSquares, similaritySums, type Point } from '#shared/pose/geometry';

/**
 * 2-D affine maps as 6 numbers [a, b, c, d, tx, ty]: (x, y) ↦ (a·x + c·y + tx, b·x + d·y + ty).
 * Used for bone transforms (reference picture → target pose and back).
 */
export type Affine = readonly [number, number, number, number, number, number];

export const IDENTITY: Affine = [1, 0, 0, 1, 0, 0];

export function apply(m: Affine, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

/** m ∘ n: first n, then m. */
export function compose(m: Affine, n: Affine): Affine {
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

export function invert(m: Affine): Affine {
  const det = m[0] * m[3] - m[2] * m[1];
  if (Math.abs(det) < 1e-12) throw new RangeError('affine map is not invertible');
  const a = m[3] / det;
  const b = -m[1] / det;
  const c = -m[2] / det;
  const d = m[0] / det;
  return [a, b, c, d, -(a * m[4] + c * m[5]), -(b * m[4] + d * m[5])];
}

export function translation(tx: number, ty: number): Affine {
  return [1, 0, 0, 1, tx, ty];
}

/**
 * Maps the segment ra→rb onto ta→tb: rotates, scales along the bone axis only (a limb keeps its
 * width when it lengthens or foreshortens) and translates. Joints land exactly: ra ↦ ta, rb ↦ tb.
 */
export function boneMap(
  ra: readonly [number, number],
  rb: readonly [number, number],
  ta: readonly [number, number],
  tb: readonly [number, number],
): Affine | undefined {
  const rx = rb[0] - ra[0];
  const ry = rb[1] - ra[1];
  const tx = tb[0] - ta[0];
  const ty = tb[1] - ta[1];
  const lr = Math.hypot(rx, ry);
  const lt = Math.hypot(tx, ty);
  if (lr < 1e-6 || lt < 1e-6) return undefined;
  const s = lt / lr;
  // Frame of the reference bone: u along, v across. Map u → target axis scaled by s, v → rotated v.
  const ux = rx / lr;
  const uy = ry / lr;
  const vx = -uy;
  const vy = ux;
  const ux2 = tx / lt;
  const uy2 = ty / lt;
  const vx2 = -uy2;
  const vy2 = ux2;
  // Linear part L = [u2·s v2] · [u v]ᵀ
  const a = s * ux2 * ux + vx2 * vx;
  const b = s * uy2 * ux + vy2 * vx;
  const c = s * ux2 * uy + vx2 * vy;
  const d = s * uy2 * uy + vy2 * vy;
  return [a, b, c, d, ta[0] - (a * ra[0] + c * ra[1]), ta[1] - (b * ra[0] + d * ra[1])];
}

/**
 * The least-squares similarity (rotation, uniform scale, translation) of point pairs as a map;
 * ≥ 2 pairs, undefined when they are (nearly) on one spot. Solved by `similaritySums`.
 */
export function fitSimilarityMap(src: readonly Point[], dst: readonly Point[]): Affine | undefined {
  if (src.length < 2) return undefined;
  const { ax, ay, bx, by, dot, cross, norm } = similaritySums(src, dst);
  if (norm < 1e-9) return undefined;
  const a = dot / norm;
  const b = cross / norm;
  if (Math.hypot(a, b) < 1e-6) return undefined;
  return [a, b, -b, a, bx - (a * ax - b * ay), by - (b * ax + a * ay)];
}

/**
 * The least-squares affine map of ≥ 3 point pairs that are not collinear; undefined otherwise
 * (the caller falls back to a similarity). Solved by `fitAffineLeastSquares`.
 */
export function fitAffineMap(src: readonly Point[], dst: readonly Point[]): Affine | undefined {
  const f = fitAffineLeastSquares(src, dst);
  return f && [f.a, f.b, f.c, f.d, f.tx, f.ty];
}
