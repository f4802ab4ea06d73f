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

/** Least-squares similarity (rotation, uniform scale, translation) from point pairs; ≥ 2 pairs. */
export function fitSimilarity(
  src: readonly (readonly [number, number])[],
  dst: readonly (readonly [number, number])[],
): Affine | undefined {
  const n = src.length;
  if (n < 2) return undefined;
  let sx = 0;
  let sy = 0;
  let dx = 0;
  let dy = 0;
  for (let i = 0; i < n; i++) {
    sx += src[i]![0];
    sy += src[i]![1];
    dx += dst[i]![0];
    dy += dst[i]![1];
  }
  sx /= n;
  sy /= n;
  dx /= n;
  dy /= n;
  let num1 = 0;
  let num2 = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const px = src[i]![0] - sx;
    const py = src[i]![1] - sy;
    const qx = dst[i]![0] - dx;
    const qy = dst[i]![1] - dy;
    num1 += px * qx + py * qy;
    num2 += px * qy - py * qx;
    den += px * px + py * py;
  }
  if (den < 1e-9) return undefined;
  const a = num1 / den;
  const b = num2 / den;
  if (Math.hypot(a, b) < 1e-6) return undefined;
  return [a, b, -b, a, dx - (a * sx - b * sy), dy - (b * sx + a * sy)];
}

/**
 * Least-squares affine map from ≥ 3 point pairs that are not collinear; undefined otherwise
 * (the caller falls back to a similarity). Exact when the points moved affinely.
 */
export function fitAffine(
  src: readonly (readonly [number, number])[],
  dst: readonly (readonly [number, number])[],
): Affine | undefined {
  const n = src.length;
  if (n < 3) return undefined;
  // Normal equations for [a c tx] and [b d ty] with design rows (x, y, 1).
  let sxx = 0,
    sxy = 0,
    syy = 0,
    sx = 0,
    sy = 0;
  let bx0 = 0,
    bx1 = 0,
    bx2 = 0,
    by0 = 0,
    by1 = 0,
    by2 = 0;
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
  if (Math.abs(det) < 1e-9 * scale) return undefined;
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
  const out: Affine = [a, b, c, d, tx, ty];
  return out.every(Number.isFinite) ? out : undefined;
}
