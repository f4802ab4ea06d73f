import { describe, expect, it } from 'vitest';
import { PoseFormatError } from './errors';
import { detectPoseFormat, importPoses } from './detect';

const body = new Array<number>(54).fill(0).map((_, i) => (i % 3 === 2 ? 1 : 10 + i));
const cn = { people: [{ pose_keypoints_2d: body }], canvas_width: 100, canvas_height: 100 };
const wb = Array.from({ length: 133 }, (_, k) => [k, k, 0.9]);
const lms = Array.from({ length: 33 }, (_, k) => ({ x: k / 40, y: 0.5, visibility: 1 }));

describe('detectPoseFormat / importPoses', () => {
  it('tells the dialects apart', () => {
    expect(detectPoseFormat(cn)).toBe('controlnet');
    expect(detectPoseFormat({ version: 1.3, people: [] })).toBe('controlnet');
    expect(detectPoseFormat([cn, cn])).toBe('comfyui');
    expect(detectPoseFormat(wb)).toBe('coco-wholebody');
    expect(detectPoseFormat([wb, wb])).toBe('coco-wholebody');
    expect(detectPoseFormat(wb.flat())).toBe('coco-wholebody');
    expect(detectPoseFormat(lms)).toBe('mediapipe');
    expect(detectPoseFormat({ landmarks: [lms] })).toBe('mediapipe');
    expect(detectPoseFormat({ annotations: [] })).toBe('coco-keypoints');
    expect(detectPoseFormat([{ image_id: 1, keypoints: new Array(51).fill(1) }])).toBe(
      'coco-keypoints',
    );
    expect(detectPoseFormat({ hello: 1 })).toBeUndefined();
    expect(detectPoseFormat([])).toBeUndefined();
    expect(detectPoseFormat('people')).toBeUndefined();
  });

  it('fails clearly when nothing matches', () => {
    expect(() => importPoses({ bones: [] }, { fileName: 'x.json' })).toThrow(PoseFormatError);
    expect(() => importPoses({ bones: [] }, { fileName: 'x.json' })).toThrow(
      /^x\.json: \(top level\): not a pose file: expected ControlNet\/OpenPose JSON/,
    );
    expect(() => importPoses(wb.slice(0, 100))).toThrow(/not a pose file/);
  });

  it('points into a broken ComfyUI entry rather than calling the list unknown', () => {
    expect(() => importPoses([cn, { people: 'x' }])).toThrow(
      new PoseFormatError('expected an array, got the string "x"', '[1].people'),
    );
  });

  it('imports through the detected dialect', () => {
    expect(importPoses(cn).format).toBe('controlnet');
    expect(importPoses(lms, { size: { width: 40, height: 40 } }).frames[0]!.people).toHaveLength(1);
  });
});
