import { describe, expect, it } from 'vitest';
import { convexHull, insideHull } from './convexHull';

describe('convex hull', () => {
  it('keeps the corners of a square with points inside and on its edges, and tests inside', () => {
    const pts = [
      [0, 0],
      [4, 0],
      [4, 4],
      [0, 4],
      [2, 2],
      [1, 3],
      [2, 0],
      [4, 2],
    ] as const;
    const hull = convexHull([...pts]);
    expect(hull).toHaveLength(4);
    expect(new Set(hull.map((p) => p.join(',')))).toEqual(new Set(['0,0', '4,0', '4,4', '0,4']));
    expect(insideHull(hull, 2, 2)).toBe(true);
    expect(insideHull(hull, 4, 2)).toBe(true); // on an edge
    expect(insideHull(hull, 4.01, 2)).toBe(false);
    expect(insideHull(hull, -0.5, 1)).toBe(false);
    expect(
      insideHull(
        convexHull([
          [0, 0],
          [1, 1],
        ]),
        0.5,
        0.5,
      ),
    ).toBe(false); // no area
  });
});
