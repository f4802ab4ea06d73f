import { describe, expect, it } from 'vitest';
import { PoseTrackEvaluator, evaluateTrack } from './track';
import { Joint } from './skeleton';
import { emptyPoints, setPoint, STRIDE, type Easing, type PoseTrack } from './types';

function pose(x: number): Float64Array {
  const p = emptyPoints();
  setPoint(p, Joint.neck, x, 100);
  setPoint(p, Joint.nose, x, 60);
  return p;
}

function track(easing: Easing, frames = [10, 20, 40]): PoseTrack {
  return {
    width: 640,
    height: 480,
    people: [
      {
        personId: 7,
        keyframes: frames.map((frame, i) => ({
          id: `k${i}`,
          frame,
          points: pose(100 + 100 * i),
          easing,
        })),
      },
      { personId: 8, keyframes: [] },
    ],
  };
}

const neckX = (t: PoseTrack, f: number) =>
  evaluateTrack(t, f).people[0]!.points[Joint.neck * STRIDE]!;

describe('evaluateTrack', () => {
  it('holds the first pose before the first keyframe and the last after the last', () => {
    const t = track({ kind: 'linear' });
    expect(neckX(t, -5)).toBe(100);
    expect(neckX(t, 10)).toBe(100);
    expect(neckX(t, 40)).toBe(300);
    expect(neckX(t, 1e6)).toBe(300);
    const frame = evaluateTrack(t, 0);
    expect(frame.people.map((p) => p.id)).toEqual([7]); // the empty lane is left out
    expect([frame.width, frame.height]).toEqual([640, 480]);
  });

  it('interpolates linearly between keyframes at fractional frames', () => {
    const t = track({ kind: 'linear' });
    expect(neckX(t, 15)).toBeCloseTo(150, 9);
    expect(neckX(t, 25)).toBeCloseTo(225, 9);
    expect(neckX(t, 12.5)).toBeCloseTo(125, 9);
  });

  it('hold keeps a keyframe until the next one', () => {
    const t = track({ kind: 'hold' });
    expect(neckX(t, 19.999)).toBe(100);
    expect(neckX(t, 20)).toBe(200);
    expect(neckX(t, 39)).toBe(200);
  });

  it('uses the leaving keyframe’s bezier easing', () => {
    // x(t) = t for x1 = 1/3, x2 = 2/3; with y1 = 0, y2 = 1: y(0.25) = 0.15625
    const t = track({ kind: 'bezier', x1: 1 / 3, y1: 0, x2: 2 / 3, y2: 1 });
    expect(neckX(t, 12.5)).toBeCloseTo(100 + 100 * 0.15625, 9);
  });

  it('a lane with one keyframe holds it everywhere', () => {
    const t = track({ kind: 'linear' }, [5]);
    expect([-10, 5, 99].map((f) => neckX(t, f))).toEqual([100, 100, 100]);
  });

  it('an overshooting bezier extrapolates the motion', () => {
    // x1 = 1/3, x2 = 2/3 → x(t) = t; y1 = 0, y2 = 1.6: y(0.75) = 3·0.25·0.5625·1.6 + 0.421875 > 1
    const t = track({ kind: 'bezier', x1: 1 / 3, y1: 0, x2: 2 / 3, y2: 1.6 });
    const y = 3 * 0.25 * 0.5625 * 1.6 + 0.75 ** 3;
    expect(y).toBeGreaterThan(1);
    expect(neckX(t, 17.5)).toBeCloseTo(100 + 100 * y, 9);
  });

  it('locks bone lengths to the first keyframe when asked', () => {
    const t = track({ kind: 'linear' });
    // keyframe 1 has a 2× longer neck → nose bone, pointing right instead of up
    const k1 = t.people[0]!.keyframes[1]!.points;
    k1[Joint.nose * STRIDE] = k1[Joint.neck * STRIDE]! + 80;
    k1[Joint.nose * STRIDE + 1] = 100;
    const bone = (f: number, boneLengths?: 'lock') => {
      const p = evaluateTrack(t, f, { boneLengths }).people[0]!.points;
      const dx = p[Joint.nose * STRIDE]! - p[Joint.neck * STRIDE]!;
      const dy = p[Joint.nose * STRIDE + 1]! - p[Joint.neck * STRIDE + 1]!;
      return { len: Math.hypot(dx, dy), angle: Math.atan2(dy, dx) };
    };
    expect(bone(20).len).toBeCloseTo(80, 9); // interpolate: keyframes exact
    expect(bone(15).len).toBeCloseTo(60, 9);
    for (const f of [0, 15, 20, 30, 99]) expect(bone(f, 'lock').len).toBeCloseTo(40, 9);
    expect(bone(20, 'lock').angle).toBeCloseTo(0, 9); // direction still from the keyframe
    expect(() => new PoseTrackEvaluator(t, { boneLengths: 'x' as 'lock' })).toThrow(/boneLengths/);
  });

  it('evaluateInto reuses the caller’s buffers', () => {
    const ev = new PoseTrackEvaluator(track({ kind: 'linear' }));
    const out = ev.createFrame();
    const buf = out.people[0]!.points;
    ev.evaluateInto(15, out);
    ev.evaluateInto(30, out);
    expect(out.people[0]!.points).toBe(buf);
    expect(buf[Joint.neck * STRIDE]).toBeCloseTo(250, 9);
  });

  it('rejects unsorted keyframes, wrong point counts and bad easings with the lane named', () => {
    expect(() => evaluateTrack(track({ kind: 'linear' }, [10, 10, 20]), 0)).toThrow(
      /person 7 keyframe 1 \(k1\).*sorted/,
    );
    const bad = track({ kind: 'linear' });
    bad.people[0]!.keyframes[2]!.points = new Float64Array(5);
    expect(() => evaluateTrack(bad, 0)).toThrow(/keyframe 2.*408/);
    expect(() => evaluateTrack(track({ kind: 'bezier', x1: 2, y1: 0, x2: 0, y2: 1 }), 0)).toThrow(
      /person 7 keyframe 0.*x1 and x2/,
    );
  });
});
