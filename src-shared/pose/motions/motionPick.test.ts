import { describe, expect, it } from 'vitest';
import { Joint } from '../skeleton';
import { emptyPoints, setPoint, type PoseTrack } from '../types';
import { motionForCharacter, motionPreview } from './motionPick';

/** A stick person on a 512² canvas, its neck at (x, 150), torso 100 px. */
function person(x: number, armUp = 0): Float64Array {
  const p = emptyPoints();
  setPoint(p, Joint.nose, x, 120);
  setPoint(p, Joint.neck, x, 150);
  setPoint(p, Joint.rShoulder, x - 30, 150);
  setPoint(p, Joint.rElbow, x - 60, 180 - armUp);
  setPoint(p, Joint.lShoulder, x + 30, 150);
  setPoint(p, Joint.rHip, x - 15, 250);
  setPoint(p, Joint.lHip, x + 15, 250);
  setPoint(p, Joint.rKnee, x - 15, 330);
  setPoint(p, Joint.lKnee, x + 15, 330);
  return p;
}

const linear = { kind: 'linear' } as const;
const wave: PoseTrack = {
  width: 512,
  height: 512,
  people: [
    {
      personId: 0,
      keyframes: [
        { id: 'a', frame: 0, points: person(256), easing: linear },
        { id: 'b', frame: 12, points: person(276, 60), easing: linear },
        { id: 'c', frame: 13, points: person(280, 50), easing: linear },
        { id: 'd', frame: 47, points: person(256), easing: linear },
      ],
    },
  ],
};

/** The character: half the size, on a wide picture, standing at (700, 300). */
function character() {
  const p = emptyPoints();
  setPoint(p, Joint.neck, 700, 300);
  setPoint(p, Joint.rShoulder, 685, 300);
  setPoint(p, Joint.rElbow, 670, 320);
  setPoint(p, Joint.lShoulder, 715, 300);
  setPoint(p, Joint.rHip, 692, 350);
  setPoint(p, Joint.lHip, 708, 350);
  setPoint(p, Joint.rKnee, 692, 390);
  setPoint(p, Joint.lKnee, 708, 390);
  return { width: 1200, height: 600, people: [{ id: 0, points: p }] };
}

const at = (p: Float64Array, j: number) => [p[j * 3]!, p[j * 3 + 1]!];

describe('a picked motion made the project’s', () => {
  it('takes the character’s proportions and stands where the character stands', () => {
    const c = character();
    const out = motionForCharacter(wave, { motion: 24, project: 24 }, c);
    expect([out.width, out.height]).toEqual([1200, 600]);
    const keys = out.people[0]!.keyframes;
    expect(keys.map((k) => k.frame)).toEqual([0, 12, 13, 47]);
    // Every key's bones have the character's lengths (neck → hip, hip → knee, shoulder → elbow).
    const bone = (p: Float64Array, a: number, b: number) =>
      Math.hypot(at(p, a)[0]! - at(p, b)[0]!, at(p, a)[1]! - at(p, b)[1]!);
    for (const k of keys)
      for (const [a, b] of [
        [Joint.neck, Joint.rHip],
        [Joint.rHip, Joint.rKnee],
        [Joint.rShoulder, Joint.rElbow],
      ] as const)
        expect(bone(k.points, a, b)).toBeCloseTo(bone(c.people[0]!.points, a, b), 6);
    expect(at(keys[0]!.points, Joint.neck)).toEqual([700, 300]);
    // Root motion kept, scaled: the motion's neck moves 20 px on a 512 canvas fitted 600/512,
    // then scaled by the torso ratio 50 / (100 × 600/512).
    const moved = at(keys[1]!.points, Joint.neck)[0]! - 700;
    expect(moved).toBeCloseTo(20 * (600 / 512) * (50 / (100 * (600 / 512))), 6);
  });

  it('moves keys to the project’s frame rate, merging keys that land on one frame', () => {
    const third = motionForCharacter(wave, { motion: 24, project: 8 }, null);
    expect(third.people[0]!.keyframes.map((k) => [k.id, k.frame])).toEqual([
      ['a', 0],
      ['b', 4],
      ['d', 16],
    ]);
    const double = motionForCharacter(wave, { motion: 24, project: 48 }, null);
    expect(double.people[0]!.keyframes.map((k) => k.frame)).toEqual([0, 24, 26, 94]);
  });

  it('without a character pose: the motion’s own canvas and points, copied not shared', () => {
    const out = motionForCharacter(wave, { motion: 24, project: 24 }, null);
    expect([out.width, out.height]).toEqual([512, 512]);
    const k = out.people[0]!.keyframes[1]!;
    expect(Array.from(k.points)).toEqual(Array.from(wave.people[0]!.keyframes[1]!.points));
    k.points[0] = -1;
    expect(wave.people[0]!.keyframes[1]!.points[0]).not.toBe(-1);
  });
});

describe('the picker’s looping preview', () => {
  it('samples the whole motion at 8 frames/s, body points only, missing points null', () => {
    const p = motionPreview(wave, 24);
    expect(p.frames).toHaveLength(16); // 48 frames at 24 fps = 2 s
    expect(p.fps).toBeCloseTo(8, 6);
    expect(p.frames.every((f) => f.length === 36)).toBe(true);
    expect(p.frames[0]!.slice(2, 4)).toEqual([256, 150]); // the neck
    expect(p.frames[0]![2 * Joint.lElbow]).toBeNull();
    // It moves: the right elbow is higher at 0.5 s than at 0 s.
    expect(p.frames[4]![2 * Joint.rElbow + 1]!).toBeLessThan(p.frames[0]![2 * Joint.rElbow + 1]!);
  });

  it('an empty track has no frames; a long one is capped', () => {
    expect(motionPreview({ width: 10, height: 10, people: [] }, 24).frames).toEqual([]);
    const long: PoseTrack = {
      ...wave,
      people: [
        {
          personId: 0,
          keyframes: [
            { ...wave.people[0]!.keyframes[0]!, frame: 0 },
            { ...wave.people[0]!.keyframes[3]!, frame: 24 * 600 },
          ],
        },
      ],
    };
    expect(motionPreview(long, 24, { maxFrames: 100 }).frames).toHaveLength(100);
  });
});
