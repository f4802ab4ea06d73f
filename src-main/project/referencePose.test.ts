import { describe, expect, it } from 'vitest';
import { LEFT_HAND, Joint } from '#shared/pose/skeleton';
import {
  PoseFileError,
  parseReferencePose,
  readPictureSize,
  readReferencePose,
} from './referencePose';

const FIX = '/work/shared/fixtures';
const at = (points: number[], i: number) => points.slice(i * 3, i * 3 + 3);

describe('reference pose from a pose file', () => {
  it('reads real BODY_25 OpenPose output (SPIN) in picture pixels', async () => {
    const size = await readPictureSize(`${FIX}/photos/spin_im1010.jpg`);
    expect(size).toEqual({ width: 153, height: 192 });
    const { points, warnings } = await readReferencePose(
      `${FIX}/poses/spin_im1010_openpose.json`,
      size,
    );
    expect(points).toHaveLength(408);
    expect(warnings).toEqual([expect.stringMatching(/MidHip \(point 8\) has no slot/)]);
    expect(at(points, Joint.nose)).toEqual([66.4171, 47.0342, 0.614349]);
    // COCO-18 right hip is BODY_25 point 9 (BODY_25 8 is MidHip).
    expect(at(points, Joint.rHip)).toEqual([71.5884, 96.9234, 0.574803]);
    // BODY_25 19 (left big toe) is our feet point 18.
    expect(at(points, 18)).toEqual([111.14, 160.512, 0.555395]);
  });

  it('scales a ControlNet editor pose from its 768×512 canvas to the picture', () => {
    const raw = {
      people: [
        {
          pose_keypoints_2d: [367, 172, 1, ...new Array(51).fill(0)],
          hand_left_keypoints_2d: [592.5, 244, 1, ...new Array(60).fill(0)],
        },
      ],
      canvas_width: 768,
      canvas_height: 512,
    };
    const { points, warnings } = parseReferencePose(raw, { width: 384, height: 256 });
    expect(at(points, 0)).toEqual([183.5, 86, 1]);
    expect(at(points, LEFT_HAND.start)).toEqual([296.25, 122, 1]);
    expect(at(points, 1)).toEqual([0, 0, 0]);
    expect(warnings[0]).toMatch(/canvas 768×512 differs from the picture 384×256/);
  });

  it('scales normalized coordinates to the picture', () => {
    const body = new Array(54).fill(0);
    body.splice(0, 3, 0.5, 0.25, 1);
    const { points } = parseReferencePose(
      { people: [{ pose_keypoints_2d: body }] },
      { width: 200, height: 100 },
    );
    expect(at(points, 0)).toEqual([100, 25, 1]);
  });

  it('takes the first of several people and says so', () => {
    const person = { pose_keypoints_2d: [10, 10, 1, ...new Array(51).fill(0)] };
    const { warnings } = parseReferencePose(
      { people: [person, person] },
      { width: 50, height: 50 },
    );
    expect(warnings).toEqual(["the file has 2 people; the first one is the picture's pose"]);
  });

  it('reads other dialects through the pose importers (a ComfyUI list: first frame)', () => {
    const frame = (x: number) => ({
      people: [{ pose_keypoints_2d: [x, 10, 1, ...new Array(51).fill(0)] }],
      canvas_width: 64,
      canvas_height: 64,
    });
    const { points, warnings } = parseReferencePose([frame(5), frame(6)], {
      width: 64,
      height: 64,
    });
    expect(at(points, 0)).toEqual([5, 10, 1]);
    expect(warnings).toContain("the file has 2 frames; the first one is the picture's pose");
  });

  it.each<[unknown, RegExp]>([
    [{ animals: [] }, /not a pose file: expected ControlNet/],
    [{ people: [] }, /no person/],
    [
      { people: [{ pose_keypoints_2d: [1, 2, 3] }] },
      /people\[0\]\.pose_keypoints_2d: has 1 points/,
    ],
    [{ people: [{ pose_keypoints_2d: ['a'] }] }, /people\[0\]\.pose_keypoints_2d\[0\]/],
  ])('refuses %j with a clear reason', (raw, reason) => {
    expect(() => parseReferencePose(raw, { width: 10, height: 10 }, 'p.json')).toThrow(
      PoseFileError,
    );
    expect(() => parseReferencePose(raw, { width: 10, height: 10 }, 'p.json')).toThrow(reason);
  });
});
