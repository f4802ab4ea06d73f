import { STRIDE, type PoseFrame } from '#shared/pose/types';
import { fitAffineLeastSquares } from '#shared/pose/geometry';
import type { PointRange } from '#shared/pose/skeleton';

/** Row-major 2×3 affine map: x' = a·x + b·y + c, y' = d·x + e·y + f. */
export type Affine = [number, number, number, number, number, number];

/**
 * Least-squares 6-DOF affine transform taking `from` points to `to` points (PoseCrafter's face
 * and hand latent edit), row-major. Needs three or more points that are not all on one line.
 * Solved by `fitAffineLeastSquares` (the puppet's bone fits use the same solver).
 */
export function fitLatentAffine(
  from: readonly [number, number][],
  to: readonly [number, number][],
): Affine {
  if (from.length !== to.length) throw new RangeError('fitLatentAffine needs matching point lists');
  if (from.length < 3) throw new RangeError('fitLatentAffine needs at least 3 points');
  const f = fitAffineLeastSquares(from, to);
  if (!f) throw new RangeError('points are collinear: no unique affine fit');
  return [f.a, f.c, f.tx, f.b, f.d, f.ty];
}

export function applyAffine(t: Affine, x: number, y: number): [number, number] {
  return [t[0] * x + t[1] * y + t[2], t[3] * x + t[4] * y + t[5]];
}

export function invertAffine(t: Affine): Affine {
  const det = t[0] * t[4] - t[1] * t[3];
  if (Math.abs(det) < 1e-12) throw new RangeError('affine map is not invertible');
  const a = t[4] / det;
  const b = -t[1] / det;
  const d = -t[3] / det;
  const e = t[0] / det;
  return [a, b, -(a * t[2] + b * t[5]), d, e, -(d * t[2] + e * t[5])];
}

/** Points of a part present in both poses, scaled into latent pixels (÷ 8). */
export function matchedLatentPoints(
  reference: PoseFrame,
  target: PoseFrame,
  part: PointRange,
  latentScale = 1 / 8,
): { from: [number, number][]; to: [number, number][] } {
  const a = reference.people[0]?.points;
  const b = target.people[0]?.points;
  const from: [number, number][] = [];
  const to: [number, number][] = [];
  if (!a || !b) return { from, to };
  for (let i = part.start; i < part.start + part.count; i++) {
    const o = i * STRIDE;
    if (a[o + 2]! <= 0 || b[o + 2]! <= 0) continue;
    from.push([a[o]! * latentScale, a[o + 1]! * latentScale]);
    to.push([b[o]! * latentScale, b[o + 1]! * latentScale]);
  }
  return { from, to };
}

/**
 * Pastes the reference latent, moved by `t` (reference → target, latent pixels), into `target`
 * inside the bounding box of `box` points (dilated by `margin`), sampling bilinearly. Outside the
 * box the target latent is untouched. Latents are planar C×H×W.
 */
export function pasteAffineLatent(
  reference: Float32Array,
  target: Float32Array,
  channels: number,
  height: number,
  width: number,
  t: Affine,
  box: readonly [number, number][],
  margin = 1,
): Float32Array {
  const out = target.slice();
  if (box.length === 0) return out;
  const inv = invertAffine(t);
  const x0 = Math.max(0, Math.floor(Math.min(...box.map((p) => p[0])) - margin));
  const x1 = Math.min(width - 1, Math.ceil(Math.max(...box.map((p) => p[0])) + margin));
  const y0 = Math.max(0, Math.floor(Math.min(...box.map((p) => p[1])) - margin));
  const y1 = Math.min(height - 1, Math.ceil(Math.max(...box.map((p) => p[1])) + margin));
  const plane = height * width;
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++) {
      const [sx, sy] = applyAffine(inv, x, y);
      if (sx < 0 || sy < 0 || sx > width - 1 || sy > height - 1) continue;
      const ix = Math.min(Math.floor(sx), width - 2);
      const iy = Math.min(Math.floor(sy), height - 2);
      const fx = sx - ix;
      const fy = sy - iy;
      for (let c = 0; c < channels; c++) {
        const p = c * plane;
        const v00 = reference[p + iy * width + ix]!;
        const v01 = reference[p + iy * width + ix + 1]!;
        const v10 = reference[p + (iy + 1) * width + ix]!;
        const v11 = reference[p + (iy + 1) * width + ix + 1]!;
        out[p + y * width + x] =
          (v00 * (1 - fx) + v01 * fx) * (1 - fy) + (v10 * (1 - fx) + v11 * fx) * fy;
      }
    }
  return out;
}
