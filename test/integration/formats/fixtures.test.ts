import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  importPoses,
  summarizeFrame,
  toComfyUiPoseKeypoint,
  toControlNetPose,
  type ImportOptions,
  type ImportResult,
} from '#shared/pose/formats/index';
import { FACE, FEET, Joint, LEFT_HAND, POINT_COUNT, RIGHT_HAND } from '#shared/pose/skeleton';
import { STRIDE, type PoseFrame } from '#shared/pose/types';

const dir = join(__dirname, '../../fixtures/poses');
const load = (name: string): unknown => JSON.parse(readFileSync(join(dir, name), 'utf8'));
const read = (name: string, options: ImportOptions = {}): ImportResult =>
  importPoses(load(name), { fileName: name, ...options });
const pt = (f: PoseFrame, person: number, i: number): number[] => {
  const p = f.people[person]!.points;
  return [p[i * STRIDE]!, p[i * STRIDE + 1]!, p[i * STRIDE + 2]!];
};
const codes = (r: ImportResult): string[] => r.warnings.map((w) => w.code);

function expectSamePresentPoints(a: PoseFrame, b: PoseFrame): void {
  expect([b.width, b.height]).toEqual([a.width, a.height]);
  expect(b.people.map((p) => p.id)).toEqual(a.people.map((p) => p.id));
  a.people.forEach((pa, i) => {
    for (let k = 0; k < POINT_COUNT; k++) {
      const o = k * STRIDE;
      const present = pa.points[o + 2]! > 0;
      expect(b.people[i]!.points[o + 2]! > 0).toBe(present);
      if (present) {
        expect(b.people[i]!.points[o]).toBe(pa.points[o]);
        expect(b.people[i]!.points[o + 1]).toBe(pa.points[o + 1]);
      }
    }
  });
}

describe('real file: SPIN CMU OpenPose output (BODY_25, version 1.2)', () => {
  const r = read('spin_im1010_openpose.json', { pictureSize: { width: 153, height: 192 } });

  it('takes the canvas from the picture and keeps the source confidences', () => {
    expect(r.format).toBe('controlnet');
    const f = r.frames[0]!;
    expect([f.width, f.height]).toEqual([153, 192]);
    expect(pt(f, 0, Joint.nose)).toEqual([66.4171, 47.0342, 0.614349]);
    expect(pt(f, 0, Joint.neck)).toEqual([78.5691, 57.8892, 0.628322]);
    expect(pt(f, 0, Joint.rHip)).toEqual([71.5884, 96.9234, 0.574803]); // BODY_25 9
    expect(pt(f, 0, Joint.lAnkle)).toEqual([118.893, 155.601, 0.699111]); // BODY_25 14
    expect(pt(f, 0, Joint.rEye)).toEqual([65.3889, 44.6995, 0.12635]); // low but > 0: kept
    expect(pt(f, 0, Joint.lEar)).toEqual([73.9174, 42.636, 0.769856]);
    expect(pt(f, 0, FEET.start)).toEqual([111.14, 160.512, 0.555395]); // LBigToe
    expect(pt(f, 0, FEET.start + 5)).toEqual([34.8817, 157.153, 0.490182]); // RHeel
  });

  it('reads the zero face and zero right hand as absent, the weak left hand as present', () => {
    const s = summarizeFrame(r.frames[0]!)[0]!.present;
    expect(s).toEqual({ body: 15, feet: 6, face: 0, leftHand: 21, rightHand: 0 });
    expect(codes(r)).toEqual(['dropped-point']); // MidHip only: canvas came from the picture
  });

  it('without a picture, guesses the canvas from the points and says so', () => {
    const g = read('spin_im1010_openpose.json');
    expect(codes(g)).toContain('canvas-guessed');
    expect(g.frames[0]!.width).toBeGreaterThanOrEqual(123);
    expect(g.frames[0]!.height).toBeGreaterThanOrEqual(161);
  });
});

describe('real file: sd-webui-openpose-editor ControlNet pose', () => {
  const r = read('openpose_editor_pose_hand_fixed.json');

  it('reads canvas, body and both hands in pixels, with no warnings', () => {
    const f = r.frames[0]!;
    expect([f.width, f.height]).toEqual([768, 512]);
    expect(pt(f, 0, Joint.nose)).toEqual([367, 172, 1]);
    expect(pt(f, 0, Joint.rElbow)).toEqual([104.85654973694608, 376.2731965157172, 1]);
    expect(pt(f, 0, Joint.rHip)[2]).toBe(0);
    expect(pt(f, 0, LEFT_HAND.start)).toEqual([592.9895663894382, 244.00249844938574, 1]);
    expect(pt(f, 0, RIGHT_HAND.start + 20)).toEqual([115.01000190734862, 131, 1]);
    expect(summarizeFrame(f)[0]!.present).toEqual({
      body: 12,
      feet: 0,
      face: 0,
      leftHand: 21,
      rightHand: 21,
    });
    expect(r.warnings).toEqual([]);
  });
});

describe('real file: COCO-17 keypoints of the skier (mmpose test data)', () => {
  const r = read('coco_val2017_000000000785_keypoints.json');

  it('uses the image size, maps COCO-17 and adds the neck between the shoulders', () => {
    expect(r.format).toBe('coco-keypoints');
    const f = r.frames[0]!;
    expect([f.width, f.height]).toEqual([640, 425]);
    expect(pt(f, 0, Joint.nose)).toEqual([367, 81, 1]);
    expect(pt(f, 0, Joint.lEye)).toEqual([374, 73, 1]);
    expect(pt(f, 0, Joint.rEye)).toEqual([360, 75, 1]);
    expect(pt(f, 0, Joint.lShoulder)).toEqual([399, 108, 1]);
    expect(pt(f, 0, Joint.rShoulder)).toEqual([358, 129, 1]);
    expect(pt(f, 0, Joint.neck)).toEqual([378.5, 118.5, 1]);
    expect(pt(f, 0, Joint.rAnkle)).toEqual([396, 341, 1]);
    expect(summarizeFrame(f)[0]!.present.body).toBe(18);
    expect(r.warnings).toEqual([]);
  });
});

describe('oddity files', () => {
  const editor = read('openpose_editor_pose_hand_fixed.json').frames[0]!;

  it('normalized [0,1] with a canvas scales back to the editor pixels', () => {
    const r = read('oddity_normalized_0_1.json');
    const f = r.frames[0]!;
    expect([f.width, f.height]).toEqual([768, 512]);
    for (const i of [Joint.nose, Joint.rElbow, Joint.lWrist, Joint.lEar, RIGHT_HAND.start + 7]) {
      expect(pt(f, 0, i)[0]).toBeCloseTo(pt(editor, 0, i)[0]!, 2);
      expect(pt(f, 0, i)[1]).toBeCloseTo(pt(editor, 0, i)[1]!, 2);
    }
    expect(summarizeFrame(f)[0]!.present).toEqual({
      body: 12,
      feet: 0,
      face: 0,
      leftHand: 0,
      rightHand: 21,
    });
    expect(r.warnings).toEqual([]);
  });

  it('CMU 1.3 in [-1,1] without a canvas, given --size, lands on the editor pixels', () => {
    const r = read('oddity_normalized_minus1_1.json', { size: { width: 768, height: 512 } });
    const f = r.frames[0]!;
    expect(pt(f, 0, Joint.nose)[0]).toBeCloseTo(367, 2);
    expect(pt(f, 0, Joint.nose)[1]).toBeCloseTo(172, 2);
    expect(pt(f, 0, Joint.lEar)[0]).toBeCloseTo(423, 2);
    expect(codes(r)).toEqual(['coordinates-guessed']);
  });

  it('CMU 1.3 with person_id keeps the tracked ids', () => {
    const r = read('oddity_cmu_v13_person_id.json', { size: { width: 400, height: 200 } });
    expect(r.frames[0]!.people.map((p) => p.id)).toEqual([7, 3]);
    expect(pt(r.frames[0]!, 1, Joint.nose)).toEqual([266.4171, 47.0342, 0.614349]);
    expect(summarizeFrame(r.frames[0]!)[1]!.present).toEqual({
      body: 15,
      feet: 6,
      face: 0,
      leftHand: 0,
      rightHand: 0,
    });
  });

  it('null parts, slightly negative values and a (0,0) point with confidence', () => {
    const r = read('oddity_null_parts_negative.json');
    const f = r.frames[0]!;
    expect(pt(f, 0, Joint.nose)).toEqual([-3.5, -1.25, 1]);
    expect(pt(f, 0, Joint.rEye)[2]).toBe(0);
    expect(summarizeFrame(f)[0]!.present).toEqual({
      body: 11,
      feet: 0,
      face: 0,
      leftHand: 0,
      rightHand: 21,
    });
    expect(r.warnings.map((w) => [w.code, w.path])).toEqual([
      ['dropped-point', 'people[0].pose_keypoints_2d'],
      ['outside-canvas', '(top level)'],
    ]);
  });

  it('missing canvas: --size, else the picture, else the bounding box with a warning', () => {
    expect(
      read('oddity_missing_canvas.json', { size: { width: 768, height: 512 } }).frames[0]!.width,
    ).toBe(768);
    const byPicture = read('oddity_missing_canvas.json', {
      pictureSize: { width: 800, height: 600 },
    });
    expect([byPicture.frames[0]!.width, byPicture.frames[0]!.height]).toEqual([800, 600]);
    const guessed = read('oddity_missing_canvas.json');
    expect(codes(guessed)).toEqual(['canvas-guessed']);
    expect(guessed.frames[0]!.width).toBeGreaterThanOrEqual(612);
    expect(guessed.frames[0]!.height).toBeGreaterThanOrEqual(384);
    expect(pt(guessed.frames[0]!, 0, Joint.lElbow)).toEqual(pt(editor, 0, Joint.lElbow));
  });

  it('a face-only person is kept; an empty person and the animals are dropped with warnings', () => {
    const r = read('oddity_face_only_animals.json');
    expect(r.frames[0]!.people).toHaveLength(1);
    expect(summarizeFrame(r.frames[0]!)[0]!.present).toEqual({
      body: 0,
      feet: 0,
      face: 70,
      leftHand: 0,
      rightHand: 0,
    });
    expect(pt(r.frames[0]!, 0, FACE.start)).toEqual([440, 150, 0.8]);
    expect(r.warnings.map((w) => [w.code, w.path])).toEqual([
      ['dropped-person', 'people[1]'],
      ['dropped-data', 'animals'],
    ]);
  });

  it('DWPose 133 arrays: two people, low scores dropped, neck and pupils derived', () => {
    const r = read('oddity_dwpose_133.json', { size: { width: 640, height: 425 } });
    expect(r.format).toBe('coco-wholebody');
    const f = r.frames[0]!;
    expect(f.people).toHaveLength(2);
    expect(pt(f, 0, Joint.nose)).toEqual([367, 81, 0.9]);
    expect(pt(f, 0, Joint.neck)).toEqual([378.5, 118.5, 0.9]);
    expect(pt(f, 0, FACE.start + 68)).toEqual(pt(f, 0, Joint.rEye));
    expect(summarizeFrame(f)[0]!.present).toEqual({
      body: 18,
      feet: 6,
      face: 70,
      leftHand: 21,
      rightHand: 21,
    });
    // Person 1: right shoulder (COCO 6) and a left-hand point (133-index 100) score 0.1, so the
    // shoulder and — needing both shoulders — the neck are missing.
    expect(summarizeFrame(f)[1]!.present).toEqual({
      body: 16,
      feet: 6,
      face: 70,
      leftHand: 20,
      rightHand: 21,
    });
    expect(pt(f, 1, Joint.neck)[2]).toBe(0);
    expect(pt(f, 1, Joint.nose)).toEqual([217, 81, 0.9]);
    expect(r.warnings.map((w) => [w.code, w.path])).toEqual([['dropped-point', '[1]']]);
  });

  it('MediaPipe 33 landmarks, scaled by the picture size, land on the skier', () => {
    const r = read('oddity_mediapipe_33.json', { pictureSize: { width: 640, height: 425 } });
    expect(r.format).toBe('mediapipe');
    const f = r.frames[0]!;
    const coco = read('coco_val2017_000000000785_keypoints.json').frames[0]!;
    for (const i of [Joint.nose, Joint.rShoulder, Joint.lHip, Joint.rAnkle, Joint.neck]) {
      expect(pt(f, 0, i)[0]).toBeCloseTo(pt(coco, 0, i)[0]!, 2);
      expect(pt(f, 0, i)[1]).toBeCloseTo(pt(coco, 0, i)[1]!, 2);
    }
    expect(pt(f, 0, Joint.lElbow)[2]).toBe(0); // visibility 0.1
    expect(summarizeFrame(f)[0]!.present).toEqual({
      body: 17,
      feet: 4,
      face: 0,
      leftHand: 0,
      rightHand: 0,
    });
  });

  it('ComfyUI POSE_KEYPOINT list reads as two frames', () => {
    const r = read('oddity_comfyui_pose_keypoint.json');
    expect(r.format).toBe('comfyui');
    expect(r.frames).toHaveLength(2);
    expect(pt(r.frames[1]!, 0, Joint.nose)).toEqual([377, 172, 1]);
  });
});

describe('export → import round trips present points exactly', () => {
  const cases: [string, ImportOptions][] = [
    ['spin_im1010_openpose.json', { pictureSize: { width: 153, height: 192 } }],
    ['openpose_editor_pose_hand_fixed.json', {}],
    ['coco_val2017_000000000785_keypoints.json', {}],
    ['oddity_normalized_0_1.json', {}],
    ['oddity_cmu_v13_person_id.json', {}],
    ['oddity_null_parts_negative.json', {}],
    ['oddity_face_only_animals.json', {}],
    ['oddity_dwpose_133.json', {}],
    ['oddity_mediapipe_33.json', { pictureSize: { width: 640, height: 425 } }],
  ];
  it.each(cases)('%s through ControlNet JSON', (name, options) => {
    const original = read(name, options).frames[0]!;
    const text = JSON.stringify(toControlNetPose(original));
    const back = importPoses(JSON.parse(text));
    expect(back.warnings.filter((w) => w.code !== 'outside-canvas')).toEqual([]);
    expectSamePresentPoints(original, back.frames[0]!);
  });

  it('the ComfyUI list through POSE_KEYPOINT', () => {
    const original = read('oddity_comfyui_pose_keypoint.json').frames;
    const back = importPoses(JSON.parse(JSON.stringify(toComfyUiPoseKeypoint(original))));
    original.forEach((f, i) => expectSamePresentPoints(f, back.frames[i]!));
  });
});
