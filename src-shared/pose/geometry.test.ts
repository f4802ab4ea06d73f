import { describe, expect, it } from 'vitest';
import { fitLatentAffine } from '#shared/diffusion/posecrafter/latentAffine';
import { apply, fitAffineMap, fitSimilarityMap } from '#shared/puppet/affine';
import { fitAffineLeastSquares, fitSimilarity, type Point } from './geometry';
import { STRIDE } from './types';

const src: Point[] = [
  [0, 0],
  [10, 2],
  [3, 9],
  [7, 7],
  [-4, 5],
];
const truth = [1.2, 0.3, -0.4, 0.9, 5, -3] as const; // x' = 1.2x − 0.4y + 5, y' = 0.3x + 0.9y − 3

function poseOf(points: readonly Point[]): Float64Array {
  const p = new Float64Array(136 * STRIDE);
  points.forEach(([x, y], i) => p.set([x, y, 1], i * STRIDE));
  return p;
}

describe('least-squares fits of point sets (one solver each)', () => {
  it('recovers an exact affine map, and refuses too few, collinear or non-finite points', () => {
    const dst = src.map(([x, y]) => apply(truth, x, y));
    const f = fitAffineLeastSquares(src, dst)!;
    [f.a, f.b, f.c, f.d, f.tx, f.ty].forEach((v, i) => expect(v).toBeCloseTo(truth[i]!, 9));
    expect(fitAffineLeastSquares(src.slice(0, 2), dst.slice(0, 2))).toBeUndefined();
    const line: Point[] = [
      [0, 0],
      [1, 1],
      [2, 2],
      [5, 5],
    ];
    expect(fitAffineLeastSquares(line, line)).toBeUndefined();
    expect(fitAffineLeastSquares([...src.slice(0, 3), [NaN, 1]], dst.slice(0, 4))).toBeUndefined();
    expect(
      fitAffineLeastSquares([...src.slice(0, 3), [1e308, 1e308]], dst.slice(0, 4)),
    ).toBeUndefined();
  });

  it('gives the puppet and PoseCrafter the same affine fit, in their own layouts', () => {
    const noisy = src.map(([x, y], i) => {
      const [u, v] = apply(truth, x, y);
      return [u + (i % 2 ? 0.3 : -0.2), v - (i % 3) * 0.1] as [number, number];
    });
    const [a, b, c, d, tx, ty] = fitAffineMap(src, noisy)!;
    expect(fitLatentAffine(src as [number, number][], noisy)).toEqual([a, c, tx, b, d, ty]);
    expect(() =>
      fitLatentAffine(
        [
          [0, 0],
          [1, 1],
          [2, 2],
        ],
        [
          [0, 0],
          [1, 1],
          [2, 2],
        ],
      ),
    ).toThrow(/collinear/);
  });

  it('gives poses and puppet bones the same similarity fit', () => {
    const sim = [0.8, 0.6, -0.6, 0.8, 3, 4] as const; // scale 1, angle atan2(0.6, 0.8)
    const dst = src.map(([x, y], i) => {
      const [u, v] = apply(sim, x, y);
      return [u + (i % 2 ? 0.5 : -0.5), v] as Point;
    });
    const map = fitSimilarityMap(src, dst)!;
    const fit = fitSimilarity(poseOf(src), poseOf(dst), 0, src.length);
    expect(fit.count).toBe(src.length);
    expect(fit.scale * Math.cos(fit.angle)).toBeCloseTo(map[0], 12);
    expect(fit.scale * Math.sin(fit.angle)).toBeCloseTo(map[1], 12);
    // The map takes the source centroid to the target centroid, as the pose fit's centroids say.
    const [cx, cy] = apply(map, fit.ax, fit.ay);
    expect(cx).toBeCloseTo(fit.bx, 9);
    expect(cy).toBeCloseTo(fit.by, 9);
  });

  it('uses only points present in both poses, and falls back to identity on one spot', () => {
    const a = poseOf(src);
    const b = poseOf(src.map(([x, y]) => [x + 2, y + 1]));
    b[4 * STRIDE + 2] = 0; // the last point missing in b
    const fit = fitSimilarity(a, b, 0, src.length);
    expect(fit.count).toBe(4);
    expect(fit.scale).toBeCloseTo(1, 12);
    expect(fit.angle).toBeCloseTo(0, 12);
    const spot = poseOf([
      [3, 3],
      [3, 3],
    ]);
    expect(fitSimilarity(spot, spot, 0, 2)).toMatchObject({ angle: 0, scale: 1, count: 2 });
  });
});
