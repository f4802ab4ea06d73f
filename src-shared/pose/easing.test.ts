import { describe, expect, it } from 'vitest';
import { cubicBezier, ease, easingFunction } from './easing';

describe('easing', () => {
  it('hold stays at the start until the next keyframe', () => {
    const hold = easingFunction({ kind: 'hold' });
    expect([0, 0.3, 0.5, 0.999999].map(hold)).toEqual([0, 0, 0, 0]);
    expect(hold(1)).toBe(1);
  });

  it('linear is the identity on [0, 1], clamped outside', () => {
    const lin = easingFunction({ kind: 'linear' });
    expect([-1, 0, 0.25, 0.8, 1, 2].map(lin)).toEqual([0, 0, 0.25, 0.8, 1, 1]);
  });

  it('cubic-bezier with x1 = 1/3, x2 = 2/3 (x(t) = t) gives the Bernstein polynomial in y', () => {
    // y(u) = 3(1-u)²u·y1 + 3(1-u)u²·y2 + u³
    const f = cubicBezier(1 / 3, 1, 2 / 3, 0);
    expect(f(0.25)).toBeCloseTo(3 * 0.75 ** 2 * 0.25 + 0.25 ** 3, 12); // 0.4375
    expect(f(0.5)).toBeCloseTo(3 * 0.25 * 0.5 + 0.125, 12); // 0.5
    const g = cubicBezier(1 / 3, 0, 2 / 3, 1);
    expect(g(0.5)).toBeCloseTo(0.5, 12);
    expect(g(0.25)).toBeCloseTo(3 * 0.75 * 0.0625 + 0.015625, 12); // 0.15625
  });

  it('matches CSS ease = cubic-bezier(0.25, 0.1, 0.25, 1)', () => {
    const e = { kind: 'bezier', x1: 0.25, y1: 0.1, x2: 0.25, y2: 1 } as const;
    // at u = 0.5 the curve parameter solves x(t) = 0.5; y(t) = 0.8024033877… (browser value)
    expect(ease(e, 0.5)).toBeCloseTo(0.8024033877, 8);
    expect(ease(e, 0)).toBe(0);
    expect(ease(e, 1)).toBe(1);
  });

  it('is monotonic for a steep curve and may overshoot in y', () => {
    const f = cubicBezier(0.9, 0, 0.1, 1);
    let prev = -1;
    for (let i = 0; i <= 200; i++) {
      const v = f(i / 200);
      expect(v).toBeGreaterThanOrEqual(prev - 1e-12);
      prev = v;
    }
    const back = cubicBezier(0.5, -0.6, 0.5, 1.6);
    expect(back(0.1)).toBeLessThan(0);
    expect(back(0.9)).toBeGreaterThan(1);
  });

  it('rejects control points with x outside [0, 1]', () => {
    expect(() => easingFunction({ kind: 'bezier', x1: 1.5, y1: 0, x2: 0.5, y2: 1 })).toThrow(
      /x1 and x2/,
    );
    expect(() => easingFunction({ kind: 'bezier', x1: NaN, y1: 0, x2: 0.5, y2: 1 })).toThrow(/x1/);
  });
});
