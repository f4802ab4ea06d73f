import { describe, expect, it } from 'vitest';
import { apply, boneMap, compose, fitAffineMap, fitSimilarityMap, invert } from './affine';

const close = (a: readonly number[], b: readonly number[], eps = 1e-9) =>
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, -Math.log10(eps)));

describe('affine maps', () => {
  it('maps a bone onto its target exactly and keeps its width', () => {
    const m = boneMap([10, 10], [10, 50], [100, 100], [160, 100])!; // rotated and 1.5× longer
    close(apply(m, 10, 10), [100, 100]);
    close(apply(m, 10, 50), [160, 100]);
    // A point 5 px beside the bone stays 5 px beside it.
    const [x, y] = apply(m, 15, 10);
    expect(Math.hypot(x - 100, y - 100)).toBeCloseTo(5, 9);
    expect(boneMap([0, 0], [0, 0], [1, 1], [2, 2])).toBeUndefined();
  });

  it('inverts and composes', () => {
    const m = boneMap([3, 4], [20, 9], [-5, 7], [8, 30])!;
    close(compose(invert(m), m), [1, 0, 0, 1, 0, 0]);
  });

  it('fits affine and similarity maps exactly when the points moved that way', () => {
    const truth = [1.2, 0.3, -0.2, 0.9, 5, -7] as const;
    const src = [
      [0, 0],
      [10, 0],
      [0, 10],
      [7, 3],
    ] as [number, number][];
    const dst = src.map(([x, y]) => apply(truth, x, y));
    close(fitAffineMap(src, dst)!, truth);
    expect(
      fitAffineMap(
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
    ).toBeUndefined();
    const sim = [0.8, 0.6, -0.6, 0.8, 3, 4] as const;
    close(
      fitSimilarityMap(
        src,
        src.map(([x, y]) => apply(sim, x, y)),
      )!,
      sim,
    );
  });
});
