import { describe, expect, it } from 'vitest';
import { PoseFormatError } from './errors';
import {
  frameFileName,
  groupFrameFiles,
  importOpenPoseFrames,
  parseFrameFileName,
} from './openposeFolder';

const frameJson = (x: number): unknown => ({
  version: 1.3,
  people: [
    {
      person_id: [-1],
      pose_keypoints_2d: Array.from({ length: 25 }, (_, k) => [x + k, 50 + k, 0.8]).flat(),
      face_keypoints_2d: [],
      hand_left_keypoints_2d: [],
      hand_right_keypoints_2d: [],
    },
  ],
});

describe('OpenPose frame file names', () => {
  it('parses and writes {name}_{12-digit frame}_keypoints.json', () => {
    expect(parseFrameFileName('my_clip_000000000042_keypoints.json')).toEqual({
      name: 'my_clip',
      frame: 42,
    });
    expect(parseFrameFileName('clip_42_keypoints.json')).toBeUndefined();
    expect(parseFrameFileName('clip_000000000042.json')).toBeUndefined();
    expect(frameFileName('clip', 7)).toBe('clip_000000000007_keypoints.json');
    expect(() => frameFileName('clip', -1)).toThrow(RangeError);
  });

  it('groups a folder listing by sequence name, ignoring other files', () => {
    const groups = groupFrameFiles([
      'a_000000000001_keypoints.json',
      'notes.txt',
      'b_000000000000_keypoints.json',
      'a_000000000000_keypoints.json',
    ]);
    expect([...groups.keys()].sort()).toEqual(['a', 'b']);
    expect(groups.get('a')!.map((f) => f.frame)).toEqual([1, 0]);
  });
});

describe('importOpenPoseFrames', () => {
  it('orders frames by number, fills gaps with empty frames and reports them', () => {
    const r = importOpenPoseFrames(
      [
        { fileName: 'w_000000000013_keypoints.json', json: frameJson(30) },
        { fileName: 'w_000000000010_keypoints.json', json: frameJson(0) },
        { fileName: 'w_000000000011_keypoints.json', json: frameJson(10) },
      ],
      { fileName: 'walk', size: { width: 200, height: 100 } },
    );
    expect(r.format).toBe('openpose-folder');
    expect(r.firstFrame).toBe(10);
    expect(r.frames.map((f) => f.people.length)).toEqual([1, 1, 0, 1]);
    expect(r.frames.map((f) => f.people[0]?.points[0])).toEqual([0, 10, undefined, 30]);
    expect(r.frames.every((f) => f.width === 200 && f.height === 100)).toBe(true);
    expect(r.warnings.filter((w) => w.code === 'missing-frames')).toEqual([
      expect.objectContaining({ file: 'walk', message: expect.stringMatching(/frame 12\)/) }),
    ]);
  });

  it('guesses one canvas for the whole sequence, not one per frame', () => {
    const r = importOpenPoseFrames([
      { fileName: 'w_000000000000_keypoints.json', json: frameJson(0) },
      { fileName: 'w_000000000001_keypoints.json', json: frameJson(300) },
    ]);
    expect(r.frames[0]!.width).toBe(r.frames[1]!.width);
    expect(r.frames[0]!.width).toBeGreaterThan(324);
    expect(r.warnings.filter((w) => w.code === 'canvas-guessed')).toHaveLength(1);
  });

  it('names the frame file in errors and refuses mixed or repeated sequences', () => {
    const bad = { people: [{ pose_keypoints_2d: [1, 2, 'x'] }] };
    try {
      importOpenPoseFrames([
        { fileName: 'w_000000000000_keypoints.json', json: frameJson(0) },
        { fileName: 'w_000000000001_keypoints.json', json: bad },
      ]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PoseFormatError);
      expect((e as PoseFormatError).message).toBe(
        'w_000000000001_keypoints.json: people[0].pose_keypoints_2d[2]: expected a number, got the string "x"',
      );
    }
    expect(() =>
      importOpenPoseFrames([
        { fileName: 'a_000000000000_keypoints.json', json: frameJson(0) },
        { fileName: 'b_000000000001_keypoints.json', json: frameJson(0) },
      ]),
    ).toThrow(/2 sequences/);
    expect(() => importOpenPoseFrames([])).toThrow(PoseFormatError);
    expect(() =>
      importOpenPoseFrames([
        { fileName: 'a_000000000000_keypoints.json', json: frameJson(0) },
        { fileName: 'a_900000000000_keypoints.json', json: frameJson(0) },
      ]),
    ).toThrow(/too far apart/);
  });
});
