import { describe, expect, it } from 'vitest';
import { FACE, Joint, LEFT_HAND, RIGHT_HAND } from '#shared/pose/skeleton';
import { STRIDE } from '#shared/pose/types';
import { detectPoseFormat, importPoses } from './detect';
import { importDwposeDict } from './dwposeDict';

// Shapes as DWPose's sources build them (dwpose/__init__.py in controlnet_aux, easy_dwpose's
// _format_pose), saved with .tolist(): no real file of this kind was at hand.
const pt = (points: Float64Array, i: number) => [
  points[i * STRIDE]!,
  points[i * STRIDE + 1]!,
  points[i * STRIDE + 2]!,
];
const size = { width: 400, height: 200 };
/** Person i's body point j at normalized (0.1 + j/40, 0.2 + i/10). */
const bodyPoint = (i: number, j: number) => [0.1 + j / 40, 0.2 + i / 10];
const hand = (x: number) => Array.from({ length: 21 }, (_, k) => [x, 0.5 + k / 100]);
const face = () => Array.from({ length: 68 }, (_, k) => [0.3 + k / 1000, 0.1]);

/** easy_dwpose / MimicMotion / MusePose: two people, the second without its left wrist. */
function flatDict() {
  const bodies = [0, 1].flatMap((i) => Array.from({ length: 18 }, (_, j) => bodyPoint(i, j)));
  const body_scores = [0, 1].map((i) =>
    Array.from({ length: 18 }, (_, j) => (i === 1 && j === Joint.lWrist ? -1 : 18 * i + j)),
  );
  const hands = [hand(0.6), hand(0.61), hand(0.7), hand(0.71)]; // left 0, left 1, right 0, right 1
  const hands_scores = hands.map((_, k) =>
    Array.from({ length: 21 }, (_, p) => (k === 2 && p === 20 ? 0.1 : 0.9)),
  );
  return {
    bodies,
    body_scores,
    hands,
    hands_scores,
    faces: [face(), face()],
    faces_scores: [Array(68).fill(0.8), Array(68).fill(0.8)],
  };
}

describe('a DWPose pose dict', () => {
  it('is detected, and its bodies, hands and faces land on our points (normalized × canvas)', () => {
    const d = flatDict();
    expect(detectPoseFormat(d)).toBe('dwpose');
    const r = importPoses(d, { pictureSize: size });
    expect(r.format).toBe('dwpose');
    const [a, b] = [r.frames[0]!.people[0]!, r.frames[0]!.people[1]!];
    expect(pt(a.points, Joint.nose)).toEqual([40, 40, 1]);
    expect(pt(a.points, Joint.neck)[0]).toBeCloseTo((0.1 + 1 / 40) * 400, 9);
    expect(pt(b.points, Joint.lAnkle)).toEqual([
      (0.1 + Joint.lAnkle / 40) * 400,
      (0.2 + 1 / 10) * 200,
      1,
    ]);
    expect(pt(b.points, Joint.lWrist)[2]).toBe(0); // −1 in body_scores: not seen
    // The first N hands are the left ones.
    expect(pt(a.points, LEFT_HAND.start)[0]).toBeCloseTo(0.6 * 400, 9);
    expect(pt(b.points, LEFT_HAND.start)[0]).toBeCloseTo(0.61 * 400, 9);
    expect(pt(a.points, RIGHT_HAND.start)[0]).toBeCloseTo(0.7 * 400, 9);
    expect(pt(a.points, RIGHT_HAND.start + 20)[2]).toBe(0); // scored 0.1 < 0.3
    expect(pt(a.points, RIGHT_HAND.start + 19)[2]).toBeCloseTo(0.9, 9);
    expect(pt(a.points, FACE.start)).toEqual([0.3 * 400, 0.1 * 200, 0.8]);
  });

  it('reads the original nested form, where a point DWPose did not see is −1', () => {
    const candidate = Array.from({ length: 18 }, (_, j) => bodyPoint(0, j));
    candidate[Joint.rEar] = [-1, -1];
    const subset = [Array.from({ length: 18 }, (_, j) => (j === Joint.lEar ? -1 : j))];
    const left = hand(0.6);
    left[3] = [-1, -1];
    const r = importDwposeDict(
      { bodies: { candidate, subset }, hands: [left, hand(0.7)], faces: [face()] },
      { pictureSize: size },
    );
    const p = r.frames[0]!.people[0]!.points;
    expect(pt(p, Joint.rShoulder)[2]).toBe(1);
    expect(pt(p, Joint.rEar)[2]).toBe(0);
    expect(pt(p, Joint.lEar)[2]).toBe(0);
    expect(pt(p, LEFT_HAND.start + 3)[2]).toBe(0);
    expect(pt(p, LEFT_HAND.start + 4)[2]).toBe(1);
  });

  it('reads a list of them as the frames of a video; without a canvas it says which it took', () => {
    const r = importPoses([flatDict(), flatDict(), flatDict()]);
    expect(r.format).toBe('dwpose');
    expect(r.frames).toHaveLength(3);
    expect(r.warnings.map((w) => w.code)).toContain('canvas-guessed');
  });

  it('refuses broken ones, naming where', () => {
    const past = flatDict();
    past.body_scores[1]![3] = 99;
    expect(() => importPoses(past, { fileName: 'd.json' })).toThrow(
      /^d\.json: body_scores\[1\]\[3\]: point index 99 is past the 36 candidates/,
    );
    const hands = flatDict();
    hands.hands.pop();
    expect(() => importPoses(hands)).toThrow(/hands: expected 4 hands/);
    for (const bad of [NaN, 1e308, 'x', null]) {
      const d = flatDict();
      (d.bodies[5] as unknown[])[0] = bad;
      expect(() => importPoses(d)).toThrow(/bodies\[5\]\[0\]/);
    }
    const short = flatDict();
    short.faces[0] = short.faces[0]!.slice(0, 10);
    expect(() => importPoses(short)).toThrow(/faces\[0\]: expected 68 points, got 10/);
  });

  it('reads scores in place of indices as scores', () => {
    const d = flatDict();
    d.body_scores = d.body_scores.map((row) => row.map((_, j) => (j === Joint.nose ? 0.2 : 0.95)));
    const p = importPoses(d, { pictureSize: size }).frames[0]!.people[0]!.points;
    expect(pt(p, Joint.nose)[2]).toBe(0);
    expect(pt(p, Joint.neck)[2]).toBeCloseTo(0.95, 9);
  });
});
