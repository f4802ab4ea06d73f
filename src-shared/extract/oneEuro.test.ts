import { describe, expect, it } from 'vitest';
import { emptyPoints, setPoint, type PoseFrame } from '#shared/pose/types';
import { DEFAULT_ONE_EURO, OneEuroFilter, PoseSmoother } from './oneEuro';

const frame = (x: number, c = 1): PoseFrame => {
  const points = emptyPoints();
  setPoint(points, 0, x, 50, c);
  return { width: 200, height: 100, people: [{ id: 3, points }] };
};

describe('One Euro filter', () => {
  it('passes the first value, damps jitter at rest and follows a fast move with little lag', () => {
    const f = new OneEuroFilter({ minCutoff: 1, beta: 0.5, dCutoff: 1 });
    expect(f.filter(10, 1 / 30)).toBe(10);
    // Jitter ±1 around 10: output stays much closer to 10 than the input swings.
    let maxDev = 0;
    for (let i = 0; i < 60; i++)
      maxDev = Math.max(maxDev, Math.abs(f.filter(10 + (i % 2 ? 1 : -1), 1 / 30) - 10));
    expect(maxDev).toBeLessThan(0.5);
    // A fast ramp: after 30 frames of +20/frame the lag is small relative to the distance moved.
    let out = 0;
    for (let i = 1; i <= 30; i++) out = f.filter(10 + 20 * i, 1 / 30);
    expect(610 - out).toBeLessThan(0.1 * 600);
  });

  it('smooths per person and restarts a point that went missing', () => {
    const s = new PoseSmoother(DEFAULT_ONE_EURO, 30);
    s.smooth(frame(100));
    const moved = s.smooth(frame(110)).people[0]!.points[0]!;
    expect(moved).toBeGreaterThan(100);
    expect(moved).toBeLessThan(110);
    expect(s.smooth(frame(0, 0)).people[0]!.points[2]).toBe(0);
    // After the gap the point starts fresh at its new position.
    expect(s.smooth(frame(150)).people[0]!.points[0]).toBe(150);
  });

  it('refuses nonsense parameters', () => {
    expect(() => new PoseSmoother({ minCutoff: 0, beta: 0, dCutoff: 1 }, 30)).toThrow(/above 0/);
    expect(() => new PoseSmoother({ minCutoff: 1, beta: -1, dCutoff: 1 }, 30)).toThrow(/beta/);
  });
});
