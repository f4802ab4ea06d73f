/**
 * Numbers that used to be read and then broke later (1e308 × 512 is Infinity, which `poses
 * convert` wrote as `null`; a 16384² canvas that sharp refuses to draw) are refused by every
 * importer, naming the JSON path and the bound.
 */
import { describe, expect, it } from 'vitest';
import { PoseFormatError } from './errors';
import { importPoses } from './detect';

const body = (): number[] => Array.from({ length: 54 }, (_, i) => (i % 3 === 2 ? 1 : 100 + i));
const landmarks = () =>
  Array.from({ length: 33 }, (_, m) => ({ x: m / 100, y: 0.5, z: 0, visibility: 0.9 }));
const wholeBody = () => Array.from({ length: 133 * 3 }, (_, i) => (i % 3 === 2 ? 0.9 : 50 + i));
const coco = () => ({
  images: [{ id: 1, width: 640, height: 480 }],
  annotations: [
    {
      image_id: 1,
      keypoints: Array.from({ length: 51 }, (_, i) => (i % 3 === 2 ? 2 : 100 + i)),
    },
  ],
});

function refusal(value: unknown): PoseFormatError {
  try {
    importPoses(value, { fileName: 'poses.json' });
  } catch (e) {
    if (e instanceof PoseFormatError) return e;
    throw e;
  }
  throw new Error('the file was accepted');
}

describe('pose file limits', () => {
  it.each<[string, () => unknown, string, RegExp]>([
    [
      'ControlNet: an x of 1e308',
      () => {
        const b = body();
        b[3] = 1e308;
        return { people: [{ pose_keypoints_2d: b }], canvas_width: 512, canvas_height: 512 };
      },
      'people[0].pose_keypoints_2d[3]',
      /coordinate 1e\+308 is out of range: must be from -40960 to 40960/,
    ],
    [
      'ControlNet: a confidence of -1e308',
      () => {
        const b = body();
        b[5] = -1e308;
        return { people: [{ pose_keypoints_2d: b }], canvas_width: 512, canvas_height: 512 };
      },
      'people[0].pose_keypoints_2d[5]',
      /score -1e\+308 is out of range/,
    ],
    [
      'ControlNet: a canvas of 16384',
      () => ({ people: [{ pose_keypoints_2d: body() }], canvas_width: 16384, canvas_height: 512 }),
      'canvas_width',
      /from 1 to 8192, got 16384/,
    ],
    [
      'ControlNet: a pixel point far off a small canvas',
      () => {
        const b = body();
        b[0] = 30000;
        return { people: [{ pose_keypoints_2d: b }], canvas_width: 100, canvas_height: 100 };
      },
      '(top level)',
      /person 1 of 1, point nose: x = 30000 is too far outside the 100×100 canvas \(must be from -400 to 500\)/,
    ],
    [
      'ComfyUI: nested [x, y, c] of 1e308',
      () => {
        const triples = Array.from({ length: 18 }, (_, i) => [100 + i, 100, 1]);
        triples[2]![1] = 1e308;
        return [
          { people: [{ pose_keypoints_2d: triples }], canvas_width: 512, canvas_height: 512 },
        ];
      },
      '[0].people[0].pose_keypoints_2d[2][1]',
      /coordinate 1e\+308 is out of range/,
    ],
    [
      'MediaPipe: x of 1e308',
      () => {
        const l = landmarks();
        l[4]!.x = 1e308;
        return l;
      },
      '[4].x',
      /coordinate 1e\+308 is out of range/,
    ],
    [
      'MediaPipe: x of 1000 (normalized: 512,000 px on a 512 canvas)',
      () => {
        const l = landmarks();
        l[0]!.x = 1000;
        return l;
      },
      '(top level)',
      /point nose: x = 512000 is too far outside the 512×512 canvas/,
    ],
    [
      'MediaPipe: visibility of 1e308',
      () => {
        const l = landmarks();
        l[1]!.visibility = 1e308;
        return l;
      },
      '[1].visibility',
      /score 1e\+308 is out of range/,
    ],
    [
      'COCO-WholeBody: a y of 1e308',
      () => {
        const k = wholeBody();
        k[7] = 1e308;
        return [{ keypoints: k }];
      },
      '[0].keypoints[7]',
      /coordinate 1e\+308 is out of range/,
    ],
    [
      'COCO keypoints: an x of -1e308',
      () => {
        const c = coco();
        c.annotations[0]!.keypoints[9] = -1e308;
        return c;
      },
      'annotations[0].keypoints[9]',
      /coordinate -1e\+308 is out of range/,
    ],
  ])('%s is refused, naming the path', (_, make, path, reason) => {
    const e = refusal(make());
    expect(e.file).toBe('poses.json');
    expect(e.path).toBe(path);
    expect(e.reason).toMatch(reason);
  });

  it.each([
    ['a 100,000-deep list', JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)) as unknown],
    ['an object whose toString is not a function', JSON.parse('{"toString": 1}') as unknown],
  ])('a lone canvas_width that is %s is reported, not a crash', (_, w) => {
    const r = importPoses(
      { people: [{ pose_keypoints_2d: body() }], canvas_width: w },
      { fileName: 'poses.json' },
    );
    expect(r.warnings.find((x) => x.code === 'canvas-ignored')?.message).toMatch(
      /only one of canvas_width \/ canvas_height is given \((an array of 1|an object) × nothing/,
    );
  });
});
