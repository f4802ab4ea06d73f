import { describe, expect, it } from 'vitest';
import { FACE, FEET, LEFT_HAND, POINT_COUNT, RIGHT_HAND } from '#shared/pose/skeleton';
import { createPerson, setPoint, STRIDE, type PoseFrame } from '#shared/pose/types';
import { importComfyUi, importControlNet } from './controlnet';
import { importOpenPoseFrames } from './openposeFolder';
import { toComfyUiPoseKeypoint, toControlNetPose, toOpenPoseFrameFiles } from './exportControlNet';

/** Deterministic pseudo-random numbers (mulberry32), so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A frame with random people: each point present with probability `p`, at awkward coordinates. */
function randomFrame(seed: number, people = 3, p = 0.7): PoseFrame {
  const r = rng(seed);
  const frame: PoseFrame = { width: 777, height: 555, people: [] };
  for (let i = 0; i < people; i++) {
    const person = createPerson(i * 3 + 1);
    for (let k = 0; k < POINT_COUNT; k++)
      if (r() < p) setPoint(person.points, k, 2 + r() * 900 - 50, 2 + r() * 600 - 20, 0.05 + r());
    frame.people.push(person);
  }
  return frame;
}

/** Present points must come back at exactly the same x, y; missing ones stay missing. */
function expectSamePresentPoints(a: PoseFrame, b: PoseFrame): void {
  expect([b.width, b.height]).toEqual([a.width, a.height]);
  expect(b.people.map((p) => p.id)).toEqual(a.people.map((p) => p.id));
  a.people.forEach((pa, i) => {
    const pb = b.people[i]!;
    for (let k = 0; k < POINT_COUNT; k++) {
      const o = k * STRIDE;
      const present = pa.points[o + 2]! > 0;
      expect(pb.points[o + 2]! > 0, `point ${k} presence`).toBe(present);
      if (present) {
        expect(pb.points[o]).toBe(pa.points[o]);
        expect(pb.points[o + 1]).toBe(pa.points[o + 1]);
      }
    }
  });
}

describe('toControlNetPose', () => {
  it('writes present points as [x, y, 1], missing as zeros, absent parts as null', () => {
    const person = createPerson(5);
    setPoint(person.points, 1, 10.25, 20.5, 0.4);
    setPoint(person.points, RIGHT_HAND.start + 3, 7, 8, 0.9);
    const json = toControlNetPose({ width: 64, height: 48, people: [person, createPerson(9)] });
    expect(json.canvas_width).toBe(64);
    expect(json.canvas_height).toBe(48);
    expect(json.animals).toEqual([]);
    expect(json.people).toHaveLength(1); // the empty person is left out
    const p = json.people[0]!;
    expect(p.person_id).toEqual([5]);
    expect(p.pose_keypoints_2d).toHaveLength(54);
    expect(p.pose_keypoints_2d.slice(0, 6)).toEqual([0, 0, 0, 10.25, 20.5, 1]);
    expect(p.face_keypoints_2d).toBeNull();
    expect(p.hand_left_keypoints_2d).toBeNull();
    expect(p.hand_right_keypoints_2d).toHaveLength(63);
    expect(p.hand_right_keypoints_2d!.slice(9, 12)).toEqual([7, 8, 1]);
    expect('foot_keypoints_2d' in p).toBe(false);
  });

  it('writes a 210-number face and 18-number feet when present', () => {
    const person = createPerson();
    setPoint(person.points, FACE.start + 69, 3, 4);
    setPoint(person.points, FEET.start, 5, 6);
    setPoint(person.points, LEFT_HAND.start, 1, 1);
    const p = toControlNetPose({ width: 10, height: 10, people: [person] }).people[0]!;
    expect(p.face_keypoints_2d).toHaveLength(210);
    expect(p.face_keypoints_2d!.slice(207)).toEqual([3, 4, 1]);
    expect(p.foot_keypoints_2d).toEqual([5, 6, 1, ...new Array<number>(15).fill(0)]);
    expect(p.pose_keypoints_2d).toEqual(new Array<number>(54).fill(0));
  });

  it('round-trips random poses exactly through JSON text', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const frame = randomFrame(seed);
      const text = JSON.stringify(toControlNetPose(frame));
      const back = importControlNet(JSON.parse(text));
      expectSamePresentPoints(frame, back.frames[0]!);
    }
  });

  it('round-trips sparse poses (a hand only, a face only)', () => {
    const frame = randomFrame(11, 2, 0.05);
    const back = importControlNet(JSON.parse(JSON.stringify(toControlNetPose(frame))));
    expectSamePresentPoints(frame, back.frames[0]!);
  });
});

describe('multi-frame exporters', () => {
  const frames = [randomFrame(21), randomFrame(22, 1), randomFrame(23, 2)];

  it('ComfyUI POSE_KEYPOINT round-trips', () => {
    const back = importComfyUi(JSON.parse(JSON.stringify(toComfyUiPoseKeypoint(frames))));
    expect(back.frames).toHaveLength(3);
    frames.forEach((f, i) => expectSamePresentPoints(f, back.frames[i]!));
  });

  it('per-frame folder files are named {name}_{12 digits}_keypoints.json and round-trip', () => {
    const files = toOpenPoseFrameFiles(frames, 'dance', 5);
    expect(files.map((f) => f.fileName)).toEqual([
      'dance_000000000005_keypoints.json',
      'dance_000000000006_keypoints.json',
      'dance_000000000007_keypoints.json',
    ]);
    expect(files[0]!.pose.version).toBe(1.3);
    const back = importOpenPoseFrames(
      files.map((f) => ({ fileName: f.fileName, json: JSON.parse(JSON.stringify(f.pose)) })),
    );
    expect(back.firstFrame).toBe(5);
    frames.forEach((f, i) => expectSamePresentPoints(f, back.frames[i]!));
    expect(() => toOpenPoseFrameFiles(frames, '../x')).toThrow(RangeError);
  });
});
