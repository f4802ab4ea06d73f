import { describe, expect, it } from 'vitest';
import { coherenceReportSchema } from '#shared/api/coherence';
import type { RgbImage } from '#shared/image/rgbImage';
import { CoherenceMeter } from './coherenceMeter';

const W = 48;
const H = 32;

/** A frame filled with one colour. */
function flat(rgb: [number, number, number], width = W, height = H): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = rgb[i % 3]!;
  return { width, height, data };
}

/** A horizontal gradient shifted by `shift` grey levels: every pixel moves the same amount. */
function gradient(shift: number): RgbImage {
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      for (let c = 0; c < 3; c++) data[(y * W + x) * 3 + c] = 40 + x + shift;
  return { width: W, height: H, data };
}

function measure(frames: RgbImage[], boundaries: number[] = [], mask?: Uint8Array) {
  const meter = new CoherenceMeter({ boundaries, ...(mask ? { mask } : {}) });
  for (const f of frames) meter.add(f);
  const report = meter.report();
  // Every report is valid against the contract, so every number in it is finite (no NaN).
  expect(coherenceReportSchema.parse(report)).toEqual(report);
  return report;
}

describe('coherence report: seams', () => {
  it('flags the one boundary with a jump and not the smooth ones', () => {
    // Brightness rises 1 level per frame; at frame 20 it jumps 20 levels more.
    const frames = Array.from({ length: 40 }, (_, t) => gradient(t + (t >= 20 ? 20 : 0)));
    const r = measure(frames, [10, 20, 30]);
    expect(r.seams.boundaries.map((s) => [s.frame, s.flagged])).toEqual([
      [10, false],
      [20, true],
      [30, false],
    ]);
    const [a, b, c] = r.seams.boundaries;
    expect(a!.score).toBeCloseTo(1, 6);
    expect(b!.across).toBeCloseTo(21, 6);
    expect(b!.inside).toBeCloseTo(1, 6);
    expect(b!.score).toBeCloseTo(21, 6);
    expect(c!.score).toBeCloseTo(1, 6);
    expect(r.seams.flagged).toBe(1);
    expect(r.seams.maxScoreAt).toBe(20);
    // Pooled: mean across (1 + 21 + 1) / 3 over mean inside 1.
    expect(r.seams.score).toBeCloseTo(23 / 3, 6);
  });

  it('takes inside steps only from the two neighbouring segments, k a side', () => {
    // Segment [0,5) moves 4 levels a frame, [5,30) 1 level: inside of boundary 5 is 4 steps of 4
    // and 8 steps of 1, not the whole video.
    let v = 0;
    const frames = Array.from({ length: 30 }, (_, t) =>
      gradient((v += t === 0 ? 0 : t < 5 ? 4 : 1)),
    );
    const meter = new CoherenceMeter({ boundaries: [5], contextSteps: 8 });
    frames.forEach((f) => meter.add(f));
    const wide = meter.report().seams;
    expect(wide.contextSteps).toBe(8);
    expect(wide.boundaries[0]!.inside).toBeCloseTo((4 * 4 + 8 * 1) / 12, 6);
    expect(wide.boundaries[0]!.across).toBeCloseTo(1, 6);
    // The default: 2 steps a side.
    const r = measure(frames, [5]);
    expect(r.seams.boundaries[0]!.inside).toBeCloseTo((4 * 2 + 1 * 2) / 4, 6);
  });

  it('is finite and unflagged on a static video, and flags a jump in one', () => {
    const still = measure(
      Array.from({ length: 20 }, () => gradient(0)),
      [5, 10, 15],
    );
    expect(still.seams.score).toBe(0);
    expect(still.seams.flagged).toBe(0);
    expect(still.meanStep).toBe(0);
    const jump = measure(
      Array.from({ length: 20 }, (_, t) => gradient(t >= 10 ? 3 : 0)),
      [5, 10, 15],
    );
    // 3 levels across a still video: 3 / 0.5 (the still-step floor).
    expect(jump.seams.boundaries.map((s) => s.flagged)).toEqual([false, true, false]);
    expect(jump.seams.boundaries[1]!.score).toBeCloseTo(6, 6);
  });

  it('ignores frame 0 and boundaries past the end; scores a boundary at the last frame', () => {
    const frames = Array.from({ length: 6 }, (_, t) => gradient(t));
    const r = measure(frames, [0, 5, 99]);
    expect(r.seams.boundaries.map((s) => s.frame)).toEqual([5]);
    expect(r.seams.boundaries[0]!.score).toBeCloseTo(1, 6);
  });

  it('has no score where a boundary has no inside steps (segments of one frame)', () => {
    const r = measure(
      Array.from({ length: 4 }, (_, t) => gradient(t)),
      [1, 2, 3],
    );
    expect(r.seams.boundaries.every((s) => s.score === null && !s.flagged)).toBe(true);
    expect(r.seams.score).toBeNull();
  });
});

describe('coherence report: flicker', () => {
  it('is 1 (RMS 4a) for brightness alternating by ±a and 0 for steady motion', () => {
    const a = 5;
    const flick = measure(
      Array.from({ length: 30 }, (_, t) =>
        flat(t % 2 ? [100 + a, 100 + a, 100 + a] : [100 - a, 100 - a, 100 - a]),
      ),
    );
    expect(flick.flicker.mean).toBeCloseTo(1, 6);
    expect(flick.flicker.pooled).toBeCloseTo(1, 6);
    expect(flick.flicker.rms).toBeCloseTo(4 * a, 4);
    expect(flick.flicker.series[0]!.from).toBe(2);
    const steady = measure(Array.from({ length: 30 }, (_, t) => gradient(2 * t)));
    expect(steady.flicker.mean).toBeCloseTo(0, 6);
    expect(steady.flicker.rms).toBeCloseTo(0, 6);
  });

  it('is 0.5 when a change neither continues nor reverses (moves then stops)', () => {
    // Steps of 4, 4, 0, 0: at the stop the second difference is one step, the bound two.
    const r = measure([0, 4, 8, 8, 8].map((v) => gradient(v)));
    expect(r.flicker.series.map((p) => p.mean)).toEqual([0, 0.5, 0]);
  });

  it('shows a single-frame flash as a spike in the plotted series', () => {
    const frames = Array.from({ length: 1200 }, (_, t) =>
      flat(t === 700 ? [200, 200, 200] : [50, 50, 50]),
    );
    const r = measure(frames);
    expect(r.flicker.series.length).toBeLessThanOrEqual(500);
    // 50, 200, 50: the frame after the flash reverses the whole change, index 1.
    const at = r.flicker.series.find((p) => p.from <= 701 && 701 <= p.to)!;
    expect(at.max).toBeCloseTo(1, 6);
    expect(r.flicker.maxAt).toBe(701);
    expect(r.flicker.series.filter((p) => p.max > 0).length).toBeLessThanOrEqual(3);
  });

  it('does not read sub-level noise on a still video as flicker', () => {
    // One channel toggles by 1 level: luma changes by 0.07, far under the still floor.
    const r = measure(Array.from({ length: 10 }, (_, t) => flat([100, 100, 100 + (t % 2)])));
    expect(r.flicker.max!).toBeLessThan(0.05);
  });
});

describe('coherence report: colour drift', () => {
  it('matches the analytic ΔE (CIE76) at the end of a linear colour ramp', () => {
    // (100,100,100) → (139,100,61): ΔE76 = 30.40 (Lab 42.37,0,0 → 45.55,11.03,28.15).
    const frames = Array.from({ length: 40 }, (_, t) => flat([100 + t, 100, 100 - t]));
    const r = measure(frames);
    expect(r.drift.region).toBe('whole-frame');
    expect(r.drift.background).toBeNull();
    expect(r.drift.character.final).toBeCloseTo(30.4, 1);
    expect(r.drift.character.max).toBeCloseTo(30.4, 1);
    expect(r.drift.character.maxAt).toBe(39);
    expect(r.drift.character.series[0]!.mean).toBe(0);
  });

  it('splits character and background with the mask', () => {
    // Left half is the character; it turns from (40,160,60) to (40,160,100); the background stays.
    const mask = new Uint8Array(W * H).map((_, i) => (i % W < W / 2 ? 1 : 0));
    const frame = (blue: number) => {
      const img = flat([10, 20, 30]);
      for (let i = 0; i < W * H; i++) if (mask[i]) img.data.set([40, 160, blue], i * 3);
      return img;
    };
    const r = measure([frame(60), frame(80), frame(100)], [], mask);
    expect(r.drift.region).toBe('mask');
    expect(r.drift.character.final).toBeCloseTo(20.81, 1);
    expect(r.drift.background!.final).toBe(0);
  });

  it('measures a character that appears later against its first appearance', () => {
    const empty = new Uint8Array(W * H);
    const full = new Uint8Array(W * H).fill(1);
    const meter = new CoherenceMeter();
    meter.add(flat([0, 0, 0]), empty);
    meter.add(flat([100, 100, 100]), full);
    meter.add(flat([100, 100, 100]), full);
    const r = meter.report();
    expect(r.drift.character.referenceFrame).toBe(1);
    expect(r.drift.character.final).toBe(0);
    expect(r.drift.background!.referenceFrame).toBe(0);
    expect(r.drift.background!.final).toBeNull(); // no background in the last frame
  });
});

describe('coherence report: edge cases', () => {
  it('reports a single-frame video', () => {
    const r = measure([gradient(0)], [1]);
    expect(r.frames).toBe(1);
    expect(r.meanStep).toBeNull();
    expect(r.seams.boundaries).toEqual([]);
    expect(r.seams.score).toBeNull();
    expect(r.flicker).toEqual({
      series: [],
      mean: null,
      pooled: null,
      rms: null,
      max: null,
      maxAt: null,
    });
    expect(r.drift.character.final).toBe(0);
  });

  it('reports an empty video', () => {
    const r = measure([]);
    expect(r.frames).toBe(0);
    expect(r.drift.character.final).toBeNull();
  });

  it('is NaN-free on black frames, with and without a mask', () => {
    const black = Array.from({ length: 12 }, () => flat([0, 0, 0]));
    const r = measure(black, [4, 8]);
    expect(r.seams.score).toBe(0);
    expect(r.flicker.mean).toBe(0);
    expect(r.drift.character.final).toBe(0);
    const masked = measure(black, [4, 8], new Uint8Array(W * H).fill(1));
    expect(masked.drift.character.final).toBe(0);
    expect(masked.drift.background!.final).toBeNull();
  });

  it('works on frames smaller than the thumbnail (1×1) and larger, odd sizes', () => {
    expect(measure([flat([1, 2, 3], 1, 1), flat([9, 2, 3], 1, 1)]).meanStep).toBeCloseTo(8 / 3, 6);
    const big = measure([flat([10, 10, 10], 301, 97), flat([20, 20, 20], 301, 97)]);
    expect(big.sampling.cols).toBe(64);
    expect(big.meanStep).toBeCloseTo(10, 6);
  });

  it('refuses a frame of another size, a wrong-sized buffer or mask, and a mask that comes and goes', () => {
    const meter = new CoherenceMeter();
    meter.add(flat([0, 0, 0]));
    expect(() => meter.add(flat([0, 0, 0], W + 1, H))).toThrow(
      /49×32 but the video started at 48×32/,
    );
    expect(() => meter.add({ width: W, height: H, data: new Uint8Array(10) })).toThrow(/10 bytes/);
    expect(() => meter.add(flat([0, 0, 0]), new Uint8Array(W * H))).toThrow(/for none/);
    const masked = new CoherenceMeter({ mask: new Uint8Array(W * H) });
    expect(() => masked.add(flat([0, 0, 0]), new Uint8Array(5))).toThrow(/mask has 5 pixels/);
    expect(masked.report().frames).toBe(0); // a refused frame is not counted
    expect(() =>
      new CoherenceMeter().add({ width: 1e308, height: 1, data: new Uint8Array(3) }),
    ).toThrow(/3 bytes/);
    expect(() =>
      new CoherenceMeter().add({ width: Number.NaN, height: 1, data: new Uint8Array(3) }),
    ).toThrow(/3 bytes/);
    expect(() => new CoherenceMeter({ boundaries: [Number.NaN] })).toThrow(/boundaries/);
    expect(() => new CoherenceMeter({ boundaries: [1e308] })).toThrow(/boundaries/);
  });

  it('keeps every series under 500 points for a long video', () => {
    const meter = new CoherenceMeter({ boundaries: [5000] });
    const a = flat([80, 80, 80], 8, 8);
    const b = flat([90, 80, 70], 8, 8);
    for (let t = 0; t < 20_000; t++) meter.add(t < 10_000 ? a : b);
    const r = meter.report();
    expect(r.flicker.series.length).toBeLessThanOrEqual(500);
    expect(r.flicker.series.length).toBeGreaterThan(200);
    expect(r.drift.character.series.length).toBeLessThanOrEqual(500);
    expect(r.drift.character.series[0]!.from).toBe(0);
    expect(r.drift.character.series.at(-1)!.to).toBe(19_999);
    // Points tile the frames in order without overlap.
    const s = r.drift.character.series;
    for (let i = 1; i < s.length; i++) expect(s[i]!.from).toBe(s[i - 1]!.to + 1);
  });
});
