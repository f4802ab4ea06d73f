import { describe, expect, it } from 'vitest';
import { fillPolygons, maskIou } from './outline';
import { count } from './regions';

describe('outline masks', () => {
  it('fills pixel centres inside a polygon (even–odd), and IoU compares masks', () => {
    const square = fillPolygons([[1, 1, 5, 1, 5, 5, 1, 5]], 8, 8);
    expect(count(square)).toBe(16);
    expect(square[1 * 8 + 1]).toBe(1);
    expect(square[5 * 8 + 5]).toBe(0);
    const holed = fillPolygons(
      [
        [0, 0, 8, 0, 8, 8, 0, 8],
        [2, 2, 6, 2, 6, 6, 2, 6],
      ],
      8,
      8,
    );
    expect(count(holed)).toBe(64 - 16);
    expect(maskIou(square, square)).toBe(1);
    expect(maskIou(square, holed)).toBeCloseTo(7 / 57, 9); // 16 − 9 shared; 48 + 16 − 7 in either
    expect(maskIou(new Uint8Array(4), new Uint8Array(4))).toBe(1);
  });
});
