import { describe, expect, it } from 'vitest';
import { decodeSimcc } from './simcc';

describe('decodeSimcc', () => {
  it('takes the arg-max per axis, divides by the split ratio and scores with the smaller maximum', () => {
    const k = 2;
    const wx = 8;
    const wy = 6;
    const x = new Float32Array(k * wx);
    const y = new Float32Array(k * wy);
    x[5] = 0.9;
    y[3] = 0.6;
    x[wx + 1] = 0.4;
    y[wy + 4] = 0.8;
    const r = decodeSimcc(x, y, k, wx, wy, 2);
    expect([...r.xy]).toEqual([2.5, 1.5, 0.5, 2]);
    expect(r.scores[0]).toBeCloseTo(0.6);
    expect(r.scores[1]).toBeCloseTo(0.4);
  });

  it('marks points with no positive score as (−1, −1)', () => {
    const r = decodeSimcc(new Float32Array(4).fill(-1), new Float32Array(4).fill(-2), 1, 4, 4, 2);
    expect([...r.xy]).toEqual([-1, -1]);
    expect(r.scores[0]).toBe(-2);
  });

  it('reads the right person of a batch', () => {
    const x = new Float32Array(2 * 4);
    const y = new Float32Array(2 * 4);
    x[4 + 3] = 1;
    y[4 + 2] = 1;
    expect([...decodeSimcc(x, y, 1, 4, 4, 1, 1).xy]).toEqual([3, 2]);
  });
});
