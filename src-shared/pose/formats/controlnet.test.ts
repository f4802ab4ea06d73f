import { describe, expect, it } from 'vitest';
import { FACE, FEET, Joint, LEFT_HAND } from '#shared/pose/skeleton';
import { STRIDE } from '#shared/pose/types';
import { formatJsonPath, PoseFormatError } from './errors';
import { importComfyUi, importControlNet } from './controlnet';

const zeros = (n: number): number[] => new Array<number>(n).fill(0);
/** A COCO-18 body with point k at (100 + k, 200 + k), confidence 0.9. */
const body18 = (): number[] => Array.from({ length: 18 }, (_, k) => [100 + k, 200 + k, 0.9]).flat();
const pt = (points: Float64Array, i: number): number[] => [
  points[i * STRIDE]!,
  points[i * STRIDE + 1]!,
  points[i * STRIDE + 2]!,
];

function catchError(fn: () => unknown): PoseFormatError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PoseFormatError);
    return e as PoseFormatError;
  }
  throw new Error('expected a PoseFormatError');
}

describe('formatJsonPath', () => {
  it('writes keys and indices like JavaScript', () => {
    expect(formatJsonPath(['people', 0, 'pose_keypoints_2d', 37])).toBe(
      'people[0].pose_keypoints_2d[37]',
    );
    expect(formatJsonPath([2, 'people'])).toBe('[2].people');
    expect(formatJsonPath([])).toBe('(top level)');
    expect(formatJsonPath(['a b'])).toBe('["a b"]');
  });
});

describe('importControlNet', () => {
  it('reads a COCO-18 body in pixels, keeping source confidence', () => {
    const r = importControlNet({
      people: [{ pose_keypoints_2d: body18() }],
      canvas_width: 640,
      canvas_height: 480,
    });
    expect(r.format).toBe('controlnet');
    expect(r.frames).toHaveLength(1);
    const f = r.frames[0]!;
    expect([f.width, f.height]).toEqual([640, 480]);
    expect(pt(f.people[0]!.points, Joint.lEar)).toEqual([117, 217, 0.9]);
    expect(r.warnings).toEqual([]);
  });

  it('maps BODY_25: MidHip dropped, later joints shifted, toes and heels to the feet', () => {
    const b25 = Array.from({ length: 25 }, (_, k) => [10 + k, 20 + k, 1]).flat();
    const r = importControlNet({
      people: [{ pose_keypoints_2d: b25 }],
      canvas_width: 100,
      canvas_height: 100,
    });
    const p = r.frames[0]!.people[0]!.points;
    expect(pt(p, Joint.rWrist)).toEqual([14, 24, 1]);
    expect(pt(p, Joint.rHip)).toEqual([19, 29, 1]); // BODY_25 9
    expect(pt(p, Joint.lEar)).toEqual([28, 38, 1]); // BODY_25 18
    expect(pt(p, FEET.start)).toEqual([29, 39, 1]); // LBigToe 19
    expect(pt(p, FEET.start + 5)).toEqual([34, 44, 1]); // RHeel 24
    expect(r.warnings.map((w) => w.code)).toEqual(['dropped-point']);
    expect(r.warnings[0]!.message).toMatch(/MidHip/);
  });

  it('names the JSON path of a value that is not a number', () => {
    const b = body18() as unknown[];
    b[37] = 'oops';
    const e = catchError(() =>
      importControlNet({ people: [{ pose_keypoints_2d: b }] }, { fileName: 'pose.json' }),
    );
    expect(e.path).toBe('people[0].pose_keypoints_2d[37]');
    expect(e.file).toBe('pose.json');
    expect(e.message).toBe(
      'pose.json: people[0].pose_keypoints_2d[37]: expected a number, got the string "oops"',
    );
  });

  it('rejects keypoint lists of the wrong length with a typed error', () => {
    expect(
      catchError(() => importControlNet({ people: [{ pose_keypoints_2d: [1, 2] }] })).path,
    ).toBe('people[0].pose_keypoints_2d');
    const e = catchError(() => importControlNet({ people: [{ pose_keypoints_2d: zeros(45) }] }));
    expect(e.reason).toMatch(/15 points; expected 18 .* or 25/);
    const h = catchError(() =>
      importControlNet({
        people: [{ pose_keypoints_2d: body18(), hand_left_keypoints_2d: zeros(60) }],
      }),
    );
    expect(h.path).toBe('people[0].hand_left_keypoints_2d');
  });

  it('rejects things that are not pose objects without a raw TypeError', () => {
    expect(catchError(() => importControlNet(null)).path).toBe('(top level)');
    expect(catchError(() => importControlNet({ people: {} })).path).toBe('people');
    expect(catchError(() => importControlNet({ people: [3] })).path).toBe('people[0]');
    expect(catchError(() => importControlNet({ canvas_width: 5 })).reason).toMatch(/people/);
    expect(
      catchError(() => importControlNet({ people: [], canvas_width: 0, canvas_height: 5 })).path,
    ).toBe('canvas_width');
    expect(catchError(() => importControlNet({ people: [], animals: 'x' })).path).toBe('animals');
  });

  it('reads nested [[x, y, c], …] triples as some ComfyUI nodes write them', () => {
    const nested = Array.from({ length: 18 }, (_, k) => [100 + k, 200 + k, 0.9]);
    const r = importControlNet({
      people: [{ pose_keypoints_2d: nested }],
      canvas_width: 300,
      canvas_height: 300,
    });
    expect(pt(r.frames[0]!.people[0]!.points, 5)).toEqual([105, 205, 0.9]);
    const bad = nested.map((t) => [...t]);
    bad[4] = [1, 2];
    expect(catchError(() => importControlNet({ people: [{ pose_keypoints_2d: bad }] })).path).toBe(
      'people[0].pose_keypoints_2d[4]',
    );
  });

  it('treats zero confidence and (0, 0) points as missing, saying so for the latter', () => {
    const b = body18();
    b.splice(3, 3, 0, 0, 0.8); // neck at (0,0) with confidence
    b.splice(6, 3, 50, 60, 0); // r_shoulder with confidence 0
    const r = importControlNet({
      people: [{ pose_keypoints_2d: b }],
      canvas_width: 300,
      canvas_height: 300,
    });
    const p = r.frames[0]!.people[0]!.points;
    expect(p[Joint.neck * 3 + 2]).toBe(0);
    expect(p[Joint.rShoulder * 3 + 2]).toBe(0);
    expect(r.warnings).toEqual([
      expect.objectContaining({ code: 'dropped-point', path: 'people[0].pose_keypoints_2d' }),
    ]);
  });

  it('uses person_id (number or CMU [id]) and renumbers repeats', () => {
    const r = importControlNet({
      people: [
        { person_id: [4], pose_keypoints_2d: body18() },
        { person_id: [-1], pose_keypoints_2d: body18() },
        { person_id: 4, pose_keypoints_2d: body18() },
      ],
      canvas_width: 300,
      canvas_height: 300,
    });
    expect(r.frames[0]!.people.map((p) => p.id)).toEqual([4, 1, 5]);
    expect(r.warnings.some((w) => w.path === 'people[2].person_id')).toBe(true);
  });

  it('fills the pupils of a 68-point face from the body eyes', () => {
    const face = Array.from({ length: 68 }, (_, k) => [150 + k, 50, 0.7]).flat();
    const r = importControlNet({
      people: [{ pose_keypoints_2d: body18(), face_keypoints_2d: face }],
      canvas_width: 300,
      canvas_height: 300,
    });
    const p = r.frames[0]!.people[0]!.points;
    expect(pt(p, FACE.start + 67)).toEqual([217, 50, 0.7]);
    expect(pt(p, FACE.start + 68)).toEqual(pt(p, Joint.rEye));
    expect(pt(p, FACE.start + 69)).toEqual(pt(p, Joint.lEye));
  });

  it('reads foot_keypoints_2d into the feet slots', () => {
    const feet = Array.from({ length: 6 }, (_, k) => [10 * k + 5, 290, 1]).flat();
    const r = importControlNet({
      people: [{ pose_keypoints_2d: body18(), foot_keypoints_2d: feet }],
      canvas_width: 300,
      canvas_height: 300,
    });
    expect(pt(r.frames[0]!.people[0]!.points, FEET.start + 2)).toEqual([25, 290, 1]);
  });

  it('drops people without points, animals and 3D arrays, with warnings', () => {
    const r = importControlNet({
      people: [
        { pose_keypoints_2d: zeros(54), face_keypoints_2d: zeros(210) },
        { pose_keypoints_2d: body18(), pose_keypoints_3d: [1, 2, 3, 1] },
      ],
      animals: [[1, 2, 1]],
      canvas_width: 300,
      canvas_height: 300,
    });
    expect(r.frames[0]!.people).toHaveLength(1);
    expect(r.warnings.map((w) => [w.code, w.path])).toEqual([
      ['dropped-person', 'people[0]'],
      ['dropped-data', 'people[1].pose_keypoints_3d'],
      ['dropped-data', 'animals'],
    ]);
  });
});

describe('coordinates and canvas', () => {
  const one = (x: number, y: number): number[] => {
    const b = zeros(54);
    b.splice(0, 3, x, y, 1);
    b.splice(3, 3, x, y + 0.1, 1);
    return b;
  };

  it('scales [0,1] coordinates by the canvas', () => {
    const r = importControlNet({
      people: [{ pose_keypoints_2d: one(0.5, 0.25) }],
      canvas_width: 800,
      canvas_height: 400,
    });
    expect(pt(r.frames[0]!.people[0]!.points, 0)).toEqual([400, 100, 1]);
  });

  it('detects [-1,1] coordinates from clearly negative values, with a warning', () => {
    const r = importControlNet(
      { people: [{ pose_keypoints_2d: one(-0.5, 0) }] },
      { size: { width: 200, height: 100 } },
    );
    expect(pt(r.frames[0]!.people[0]!.points, 0)).toEqual([50, 50, 1]);
    expect(r.warnings.map((w) => w.code)).toContain('coordinates-guessed');
  });

  it('reads slightly negative [0,1] values as [0,1] and keeps them', () => {
    const b = one(0.5, 0.5);
    b.splice(6, 3, -0.02, 0.3, 1);
    const r = importControlNet({
      people: [{ pose_keypoints_2d: b }],
      canvas_width: 100,
      canvas_height: 100,
    });
    const p = r.frames[0]!.people[0]!.points;
    expect(pt(p, 0)).toEqual([50, 50, 1]);
    expect(pt(p, 2)).toEqual([-2, 30, 1]);
    expect(r.warnings.map((w) => w.code)).toEqual(['outside-canvas']);
  });

  it('honours an explicit normalized range', () => {
    const r = importControlNet(
      { people: [{ pose_keypoints_2d: one(0, 0.5) }], canvas_width: 100, canvas_height: 100 },
      { normalizedRange: '-1..1' },
    );
    expect(pt(r.frames[0]!.people[0]!.points, 0)).toEqual([50, 75, 1]);
  });

  it('canvas: file first, then size, then picture, then a guess with a warning', () => {
    const pose = { people: [{ pose_keypoints_2d: one(300, 150) }] };
    const size = { width: 640, height: 360 };
    const picture = { width: 1000, height: 800 };
    const withCanvas = importControlNet(
      { ...pose, canvas_width: 512, canvas_height: 512 },
      { size },
    );
    expect([withCanvas.frames[0]!.width, withCanvas.frames[0]!.height]).toEqual([512, 512]);
    expect(withCanvas.warnings.map((w) => w.code)).toEqual(['canvas-ignored']);
    const bySize = importControlNet(pose, { size, pictureSize: picture });
    expect([bySize.frames[0]!.width, bySize.frames[0]!.height, bySize.warnings.length]).toEqual([
      640, 360, 0,
    ]);
    const byPicture = importControlNet(pose, { pictureSize: picture });
    expect([byPicture.frames[0]!.width, byPicture.frames[0]!.height]).toEqual([1000, 800]);
    const guessed = importControlNet(pose);
    expect(guessed.frames[0]!.width).toBeGreaterThan(300);
    expect(guessed.frames[0]!.height).toBeGreaterThan(150.1);
    expect(guessed.warnings.map((w) => w.code)).toEqual(['canvas-guessed']);
  });

  it('normalized without any size falls back to 512×512 like ControlNet, with a warning', () => {
    const r = importControlNet({ people: [{ pose_keypoints_2d: one(0.5, 0.5) }] });
    expect([r.frames[0]!.width, r.frames[0]!.height]).toEqual([512, 512]);
    expect(pt(r.frames[0]!.people[0]!.points, 0)).toEqual([256, 256, 1]);
    expect(r.warnings.map((w) => w.code)).toEqual(['canvas-guessed']);
  });

  it('warns and ignores a half-given canvas', () => {
    const r = importControlNet(
      { people: [{ pose_keypoints_2d: one(30, 40) }], canvas_width: 100 },
      { size: { width: 64, height: 64 } },
    );
    expect([r.frames[0]!.width, r.frames[0]!.height]).toEqual([64, 64]);
    expect(r.warnings[0]!.code).toBe('canvas-ignored');
  });
});

describe('importComfyUi', () => {
  it('reads one frame per list entry and names the broken entry', () => {
    const frame = {
      people: [{ pose_keypoints_2d: body18() }],
      canvas_width: 300,
      canvas_height: 300,
    };
    const r = importComfyUi([frame, frame]);
    expect(r.format).toBe('comfyui');
    expect(r.frames).toHaveLength(2);
    expect(
      catchError(() => importComfyUi([frame, { people: [{ hand_left_keypoints_2d: [1] }] }])).path,
    ).toBe('[1].people[0].hand_left_keypoints_2d');
    expect(catchError(() => importComfyUi([])).reason).toMatch(/empty/);
  });

  it('keeps a left hand only person', () => {
    const hand = Array.from({ length: 21 }, (_, k) => [10 + k, 10, 1]).flat();
    const r = importComfyUi([
      { people: [{ hand_left_keypoints_2d: hand }], canvas_width: 64, canvas_height: 64 },
    ]);
    expect(pt(r.frames[0]!.people[0]!.points, LEFT_HAND.start + 20)).toEqual([30, 10, 1]);
  });
});

describe('normalized poses that go slightly past 1', () => {
  it('are still normalized (ComfyUI DWPose output with a point off the picture)', () => {
    const b = new Array<number>(54).fill(0);
    b.splice(0, 6, 0.5, 0.5, 1, 1.04, 0.6, 1);
    const r = importControlNet({
      people: [{ pose_keypoints_2d: b }],
      canvas_width: 100,
      canvas_height: 200,
    });
    expect(r.frames[0]!.people[0]!.points[0]).toBe(50);
    expect(r.frames[0]!.people[0]!.points[3]).toBeCloseTo(104, 10);
    expect(r.warnings.map((w) => w.code)).toEqual(['coordinates-guessed', 'outside-canvas']);
    b.splice(3, 3, 2.5, 0.6, 1);
    const px = importControlNet({
      people: [{ pose_keypoints_2d: b }],
      canvas_width: 100,
      canvas_height: 200,
    });
    expect(px.frames[0]!.people[0]!.points[3]).toBe(2.5);
  });
});
