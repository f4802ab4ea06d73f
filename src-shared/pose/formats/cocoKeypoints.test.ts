import { describe, expect, it } from 'vitest';
import { FACE, FEET, Joint, LEFT_HAND, RIGHT_HAND } from '#shared/pose/skeleton';
import { STRIDE } from '#shared/pose/types';
import { PoseFormatError } from './errors';
import { importCocoKeypoints } from './cocoKeypoints';

const kps = (v: number): number[] =>
  Array.from({ length: 17 }, (_, k) => [10 * k, 5 * k, v]).flat();

describe('importCocoKeypoints', () => {
  it('groups annotations by image, uses the image size, v=2 → 1 and v=1 → 0.5', () => {
    const k = kps(2);
    k[2] = 1; // nose labelled but hidden
    k[3 * 9 + 2] = 0; // left wrist unlabelled
    const r = importCocoKeypoints({
      images: [
        { id: 9, width: 640, height: 480 },
        { id: 4, width: 320, height: 240 },
      ],
      annotations: [
        { image_id: 4, keypoints: kps(2) },
        { image_id: 9, keypoints: k },
        { image_id: 9, keypoints: kps(2) },
        { image_id: 9, category_id: 2, bbox: [0, 0, 1, 1] },
      ],
    });
    expect(r.format).toBe('coco-keypoints');
    expect(r.frames.map((f) => [f.width, f.height, f.people.length])).toEqual([
      [640, 480, 2],
      [320, 240, 1],
    ]);
    const p = r.frames[0]!.people[0]!.points;
    expect(p[Joint.nose * STRIDE + 2]).toBe(0.5);
    expect(p[Joint.lWrist * STRIDE + 2]).toBe(0);
    expect([
      p[Joint.lShoulder * STRIDE],
      p[Joint.rShoulder * STRIDE],
      p[Joint.neck * STRIDE],
    ]).toEqual([50, 60, 55]);
    expect(r.warnings.map((w) => [w.code, w.path])).toEqual([['dropped-person', 'annotations[3]']]);
  });

  it('reads detection results and keeps their keypoint scores', () => {
    const r = importCocoKeypoints(
      [{ image_id: 1, category_id: 1, keypoints: kps(0.7), score: 0.9 }],
      {
        size: { width: 200, height: 100 },
      },
    );
    expect(r.frames[0]!.people[0]!.points[Joint.rKnee * STRIDE + 2]).toBe(0.7);
  });

  it('rejects a keypoint list of the wrong length, naming it', () => {
    expect(() =>
      importCocoKeypoints({ annotations: [{ image_id: 1, keypoints: [1, 2, 2] }] }),
    ).toThrow(
      new PoseFormatError(
        'expected 51 numbers (17 COCO keypoints × [x, y, v]), got 3',
        'annotations[0].keypoints',
      ),
    );
  });
});

describe('COCO-WholeBody annotations', () => {
  it('adds feet, face (68 + pupils) and hands, skipping parts flagged invalid', () => {
    const tri = (n: number, x0: number): number[] =>
      Array.from({ length: n }, (_, k) => [x0 + k, 300, 2]).flat();
    const r = importCocoKeypoints({
      images: [{ id: 1, width: 640, height: 480 }],
      annotations: [
        {
          image_id: 1,
          keypoints: kps(2),
          foot_kpts: tri(6, 10),
          face_kpts: tri(68, 100),
          lefthand_kpts: tri(21, 200),
          righthand_kpts: tri(21, 300),
          face_valid: true,
          righthand_valid: false,
        },
      ],
    });
    const p = r.frames[0]!.people[0]!.points;
    const at = (i: number): number[] => [p[i * STRIDE]!, p[i * STRIDE + 1]!, p[i * STRIDE + 2]!];
    expect(at(FEET.start + 5)).toEqual([15, 300, 1]);
    expect(at(FACE.start + 67)).toEqual([167, 300, 1]);
    expect(at(FACE.start + 68)).toEqual(at(Joint.rEye));
    expect(at(LEFT_HAND.start + 20)).toEqual([220, 300, 1]);
    expect(at(RIGHT_HAND.start)[2]).toBe(0);
    expect(() =>
      importCocoKeypoints({
        annotations: [{ image_id: 1, keypoints: kps(2), face_kpts: [1, 2, 2] }],
      }),
    ).toThrow(/annotations\[0\]\.face_kpts: expected 204 numbers/);
  });
});
