import { describe, expect, it } from 'vitest';
import type { CoherenceReport } from '#shared/api/coherence';
import { CoherenceMeter } from '#shared/render/coherence/coherenceMeter';
import { coherencePlot, frameX } from './plotData';

/** A real report: 40 grey frames brightening 1 level a frame, a 30-level jump at frame 20. */
function report(): CoherenceReport {
  const m = new CoherenceMeter({ boundaries: [10, 20, 30] });
  for (let t = 0; t < 40; t++) {
    const data = new Uint8Array(16 * 16 * 3).fill(50 + t + (t >= 20 ? 30 : 0));
    m.add({ width: 16, height: 16, data });
  }
  return m.report();
}

describe('coherence plot data', () => {
  it('puts the first frame at the left edge and the last at the right', () => {
    expect(frameX(0, 40, 400)).toBe(0);
    expect(frameX(39, 40, 400)).toBe(400);
    expect(frameX(0, 1, 400)).toBe(0); // a one-frame video: no division by zero
  });

  it('maps seams to markers, the flagged one labelled as such', () => {
    const plot = coherencePlot(report(), { width: 390, height: 100 });
    expect(plot.seams.map((s) => [s.frame, s.flagged])).toEqual([
      [10, false],
      [20, true],
      [30, false],
    ]);
    expect(plot.seams[1]!.x).toBeCloseTo(200, 6);
    expect(plot.seams[1]!.label).toMatch(/^Seam at frame 20: score \d+\.\d\d, flagged/);
    expect(plot.seams[0]!.label).not.toMatch(/flagged/);
  });

  it('keeps every point inside the box, drift scaled to at least ΔE 2', () => {
    const plot = coherencePlot(report(), { width: 390, height: 100 });
    expect(plot.driftScale).toBeGreaterThanOrEqual(2);
    for (const line of [plot.flicker, plot.drift]) {
      const pts = line.split(' ').map((p) => p.split(',').map(Number));
      expect(pts.length).toBeGreaterThan(10);
      for (const [x, y] of pts) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(390);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThanOrEqual(100);
      }
    }
    expect(plot.background).toBe(''); // whole-frame report: no background series
  });
});
