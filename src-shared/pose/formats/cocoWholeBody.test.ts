import { describe, expect, it } from 'vitest';
import { FACE, FEET, Joint, LEFT_HAND, RIGHT_HAND } from '#shared/pose/skeleton';
import { STRIDE } from '#shared/pose/types';
import { PoseFormatError } from './errors';
import { importCocoWholeBody } from './cocoWholeBody';

const pt = (points: Float64Array, i: number): number[] => [
  points[i * STRIDE]!,
  points[i * STRIDE + 1]!,
  points[i * STRIDE + 2]!,
];
/** 133 points, point k at (k + 1, 1000 + k) with score 0.9 (pixels). */
const person = (): number[][] => Array.from({ length: 133 }, (_, k) => [k + 1, 1000 + k, 0.9]);
const opts = { size: { width: 2000, height: 2000 } };

describe('importCocoWholeBody', () => {
  it('maps COCO-WholeBody to COCO-18 + feet + face 70 + hands', () => {
    const r = importCocoWholeBody(person(), opts);
    expect(r.format).toBe('coco-wholebody');
    const p = r.frames[0]!.people[0]!.points;
    expect(pt(p, Joint.nose)).toEqual([1, 1000, 0.9]);
    expect(pt(p, Joint.lEye)).toEqual([2, 1001, 0.9]); // COCO 1
    expect(pt(p, Joint.rEye)).toEqual([3, 1002, 0.9]); // COCO 2
    expect(pt(p, Joint.lEar)).toEqual([4, 1003, 0.9]);
    expect(pt(p, Joint.rEar)).toEqual([5, 1004, 0.9]);
    expect(pt(p, Joint.lShoulder)).toEqual([6, 1005, 0.9]);
    expect(pt(p, Joint.rShoulder)).toEqual([7, 1006, 0.9]);
    expect(pt(p, Joint.neck)).toEqual([6.5, 1005.5, 0.9]);
    expect(pt(p, Joint.rWrist)).toEqual([11, 1010, 0.9]);
    expect(pt(p, Joint.lAnkle)).toEqual([16, 1015, 0.9]);
    expect(pt(p, Joint.rAnkle)).toEqual([17, 1016, 0.9]);
    expect(pt(p, FEET.start)).toEqual([18, 1017, 0.9]); // 17 left big toe
    expect(pt(p, FEET.start + 5)).toEqual([23, 1022, 0.9]); // 22 right heel
    expect(pt(p, FACE.start)).toEqual([24, 1023, 0.9]); // 23 first face point
    expect(pt(p, FACE.start + 67)).toEqual([91, 1090, 0.9]);
    expect(pt(p, FACE.start + 68)).toEqual(pt(p, Joint.rEye)); // pupils = eyes
    expect(pt(p, FACE.start + 69)).toEqual(pt(p, Joint.lEye));
    expect(pt(p, LEFT_HAND.start)).toEqual([92, 1091, 0.9]);
    expect(pt(p, RIGHT_HAND.start + 20)).toEqual([133, 1132, 0.9]);
    expect(r.warnings).toEqual([]);
  });

  it('score < 0.3 is missing; the neck needs both shoulders above 0.3', () => {
    const a = person();
    a[7]![2] = 0.29; // l_elbow
    a[8]![2] = 0.3; // r_elbow: exactly the threshold is kept, as DWPose does
    a[6]![2] = 0.3; // r_shoulder at 0.3: present, but not "> 0.3" for the neck
    const p = importCocoWholeBody(a, opts).frames[0]!.people[0]!.points;
    expect(p[Joint.lElbow * 3 + 2]).toBe(0);
    expect(p[Joint.rElbow * 3 + 2]).toBe(0.3);
    expect(p[Joint.rShoulder * 3 + 2]).toBe(0.3);
    expect(p[Joint.neck * 3 + 2]).toBe(0);
    const b = person();
    b[5]![2] = 0.31;
    b[6]![2] = 0.8;
    expect(pt(importCocoWholeBody(b, opts).frames[0]!.people[0]!.points, Joint.neck)).toEqual([
      6.5, 1005.5, 0.31,
    ]);
  });

  it('reads flat 399 numbers, people lists, batched and mmpose shapes alike', () => {
    const flat = person().flat();
    const a = importCocoWholeBody(flat, opts).frames[0]!.people[0]!.points;
    const b = importCocoWholeBody([person(), person()], opts);
    expect(b.frames[0]!.people).toHaveLength(2);
    expect(b.frames[0]!.people[1]!.points).toEqual(a);
    const kp = person().map(([x, y]) => [x!, y!]);
    const scores = person().map((p) => p[2]!);
    const batched = importCocoWholeBody({ keypoints: [kp], scores: [scores] }, opts);
    expect(batched.frames[0]!.people[0]!.points).toEqual(a);
    const mm = importCocoWholeBody(
      { instance_info: [{ keypoints: kp, keypoint_scores: scores }] },
      opts,
    );
    expect(mm.frames[0]!.people[0]!.points).toEqual(a);
    const video = importCocoWholeBody(
      [
        { frame_id: 0, instances: [{ keypoints: kp, keypoint_scores: scores }] },
        { frame_id: 1, instances: [] },
      ],
      opts,
    );
    expect(video.frames.map((f) => f.people.length)).toEqual([1, 0]);
    const frames = importCocoWholeBody([[person()], [person(), person()]], opts);
    expect(frames.frames.map((f) => f.people.length)).toEqual([1, 2]);
  });

  it('scales normalized DWPose output by the given size', () => {
    const n = person().map(([x, y, s]) => [x! / 2000, y! / 2000, s!]);
    const p = importCocoWholeBody(n, { size: { width: 2000, height: 1000 } }).frames[0]!.people[0]!
      .points;
    expect(p[Joint.rEye * 3]).toBeCloseTo(3, 10);
    expect(p[Joint.rEye * 3 + 1]).toBeCloseTo(501, 10);
  });

  it('reports dropped points and people, and errors name the path', () => {
    const low = person().map(([x, y]) => [x!, y!, 0.1]);
    const r = importCocoWholeBody([person(), low], opts);
    expect(r.frames[0]!.people).toHaveLength(1);
    expect(r.warnings.map((w) => [w.code, w.path])).toEqual([
      ['dropped-point', '[1]'],
      ['dropped-person', '[1]'],
    ]);
    const bad = person() as unknown[][];
    bad[40]![1] = null;
    try {
      importCocoWholeBody(bad, { fileName: 'dw.json' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PoseFormatError);
      expect((e as Error).message).toBe('dw.json: [40][1]: expected a number, got null');
    }
    expect(() => importCocoWholeBody({ keypoints: 3 })).toThrow(PoseFormatError);
  });
});
