import { describe, expect, it } from 'vitest';
import { DecimatedSeries } from './series';

describe('DecimatedSeries', () => {
  it('keeps every frame while under the limit', () => {
    const s = new DecimatedSeries(10);
    [3, 1, 4].forEach((v, i) => s.add(i, v));
    expect(s.points()).toEqual([
      { from: 0, to: 0, mean: 3, max: 3 },
      { from: 1, to: 1, mean: 1, max: 1 },
      { from: 2, to: 2, mean: 4, max: 4 },
    ]);
  });

  it('pools into wider points past the limit, keeping the mean of all values and each max', () => {
    const s = new DecimatedSeries(4);
    for (let t = 0; t < 16; t++) s.add(t, t === 9 ? 100 : 1);
    const p = s.points();
    expect(p.length).toBeLessThanOrEqual(4);
    expect(p.map((q) => [q.from, q.to])).toEqual([
      [0, 3],
      [4, 7],
      [8, 11],
      [12, 15],
    ]);
    expect(p[2]).toEqual({ from: 8, to: 11, mean: (3 + 100) / 4, max: 100 });
  });

  it('handles gaps between frames (a region absent for a while)', () => {
    const s = new DecimatedSeries(3);
    for (const t of [0, 1, 50, 51, 52, 400]) s.add(t, t);
    const p = s.points();
    expect(p.length).toBeLessThanOrEqual(3);
    expect(p[0]!.from).toBe(0);
    expect(p.at(-1)!.to).toBe(400);
  });

  it('refuses frames out of order and values that are not finite', () => {
    const s = new DecimatedSeries();
    s.add(5, 1);
    expect(() => s.add(5, 1)).toThrow(/increase/);
    expect(() => s.add(6, Number.NaN)).toThrow(/frame 6 is NaN/);
    expect(() => s.add(7, Infinity)).toThrow(/Infinity/);
    expect(() => new DecimatedSeries(1)).toThrow(/at least 2/);
  });
});
