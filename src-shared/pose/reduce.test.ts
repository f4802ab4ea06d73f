import { describe, expect, it } from 'vitest';
import { reduceFrames, reduceKeyframes } from './reduce';
import { PoseTrackEvaluator } from './track';
import { GOLDEN_CASES } from './raster/golden/goldenCases';
import { Joint, POINT_COUNT } from './skeleton';
import { POINTS_LENGTH, STRIDE } from './types';

/** Dense frames: the real editor pose swaying (root drifts, right arm waves), nose vanishing mid-way. */
function dense(n: number): Float64Array[] {
  const base = Float64Array.from(GOLDEN_CASES[1]!.people[0]!);
  return Array.from({ length: n }, (_, t) => {
    const p = new Float64Array(base);
    const dx = 40 * Math.sin(t / 15);
    for (let i = 0; i < POINT_COUNT; i++)
      if (p[i * STRIDE + 2]! > 0) p[i * STRIDE] = base[i * STRIDE]! + dx;
    const wave = 0.6 * Math.sin(t / 7);
    const ex = p[Joint.rElbow * STRIDE]!;
    const ey = p[Joint.rElbow * STRIDE + 1]!;
    p[Joint.rWrist * STRIDE] = ex + 80 * Math.cos(wave);
    p[Joint.rWrist * STRIDE + 1] = ey + 80 * Math.sin(wave);
    if (t >= 40 && t < 60) p[Joint.nose * STRIDE + 2] = 0;
    return p;
  });
}

function playbackError(
  frames: Float64Array[],
  keyframes: ReturnType<typeof reduceKeyframes>['keyframes'],
): number {
  const ev = new PoseTrackEvaluator({
    width: 768,
    height: 512,
    people: [{ personId: 0, keyframes }],
  });
  let worst = 0;
  let visibilityMismatches = 0;
  frames.forEach((f, t) => {
    const got = ev.evaluate(t).people[0]!.points;
    for (let i = 0; i < POINT_COUNT; i++) {
      const o = i * STRIDE;
      if (got[o + 2]! > 0 !== f[o + 2]! > 0) visibilityMismatches++;
      if (f[o + 2]! > 0)
        worst = Math.max(worst, Math.hypot(got[o]! - f[o]!, got[o + 1]! - f[o + 1]!));
    }
  });
  expect(visibilityMismatches).toBe(0);
  return worst;
}

describe('reduceKeyframes', () => {
  it('keeps few keyframes and stays within the tolerance on playback', () => {
    const frames = dense(200);
    for (const [tolerance, method] of [
      [0.5, 'joints'],
      [2, 'joints'],
      [8, 'joints'],
      [0.5, 'pose'],
      [8, 'pose'],
    ] as const) {
      const r = reduceKeyframes(frames, { tolerance, method });
      expect(r.maxError).toBeLessThanOrEqual(tolerance);
      expect(r.keyframes.length).toBeLessThan(200);
      expect(r.keyframes[0]!.frame).toBe(0);
      expect(r.keyframes.at(-1)!.frame).toBe(199);
      // the reported error is the one playback really achieves
      expect(playbackError(frames, r.keyframes)).toBeCloseTo(r.maxError, 9);
    }
    for (const method of ['joints', 'pose'] as const) {
      const loose = reduceKeyframes(frames, { tolerance: 8, method }).keyframes.length;
      const tight = reduceKeyframes(frames, { tolerance: 0.5, method }).keyframes.length;
      expect(loose).toBeLessThan(tight);
    }
  });

  it("method 'pose' splits on FK playback error and keeps fewer keyframes for rotating limbs", () => {
    const frames = dense(200);
    const joints = reduceKeyframes(frames, { tolerance: 1, method: 'joints' });
    const pose = reduceKeyframes(frames, { tolerance: 1 }); // 'pose' is the default
    expect(pose.maxError).toBeLessThanOrEqual(1);
    expect(pose.keyframes.length).toBeLessThan(joints.keyframes.length);
    expect(playbackError(frames, pose.keyframes)).toBeCloseTo(pose.maxError, 9);
    expect(pose.keyframes.map((k) => k.frame)).toEqual(expect.arrayContaining([39, 40, 59, 60]));
  });

  it('keeps the frames where points appear and disappear', () => {
    const frames = dense(100);
    for (const method of ['joints', 'pose'] as const) {
      const kept = reduceKeyframes(frames, { tolerance: 4, method }).keyframes.map((k) => k.frame);
      expect(kept).toEqual(expect.arrayContaining([39, 40, 59, 60]));
    }
  });

  it('reduces a static pose to its two ends and offsets frame numbers', () => {
    const p = Float64Array.from(GOLDEN_CASES[0]!.people[0]!);
    for (const method of ['joints', 'pose'] as const) {
      const r = reduceKeyframes(
        Array.from({ length: 50 }, () => p),
        { tolerance: 0, firstFrame: 100, method },
      );
      expect(r.keyframes.map((k) => k.frame)).toEqual([100, 149]);
      expect(r.keyframes[0]!.id).toBe('k100');
      expect(r.maxError).toBeLessThan(1e-9);
    }
  });

  it('rejects a negative tolerance and malformed frames', () => {
    expect(() => reduceKeyframes([], { tolerance: -1 })).toThrow(/tolerance/);
    expect(() => reduceKeyframes([new Float64Array(4)], { tolerance: 1 })).toThrow(/frame 0/);
    expect(() =>
      reduceKeyframes([new Float64Array(408)], { tolerance: 1, method: 'x' as 'pose' }),
    ).toThrow(/method/);
  });
});

describe('reduceFrames', () => {
  it('builds one lane per person id', () => {
    const a = dense(60);
    const frames = a.map((points, t) => ({
      width: 768,
      height: 512,
      people:
        t < 30
          ? [
              { id: 3, points },
              { id: 5, points },
            ]
          : [{ id: 5, points }],
    }));
    const { track, maxError } = reduceFrames(frames, { tolerance: 1 });
    expect(track.people.map((p) => p.personId)).toEqual([3, 5]);
    expect(maxError).toBeLessThanOrEqual(1);
    const lane3 = track.people[0]!.keyframes;
    expect(lane3.at(-1)!.points).toEqual(new Float64Array(POINTS_LENGTH)); // gone after frame 29
    expect(lane3.map((k) => k.frame)).toEqual(expect.arrayContaining([29, 30]));
  });
});
