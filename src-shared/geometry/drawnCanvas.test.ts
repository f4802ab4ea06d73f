import { describe, expect, it } from 'vitest';
import { importPoses } from '#shared/pose/formats/index';
import type { PoseTrack } from '#shared/pose/types';
import { candidateText, guessDrawnCanvas, placeTrackOn, poseExtent } from './drawnCanvas';

// Real files made by other people (credits in test/fixtures/poses/README.md).
import editorPose from '../../test/fixtures/poses/openpose_editor_pose_hand_fixed.json';
import spinPose from '../../test/fixtures/poses/spin_im1010_openpose.json';

const project = { width: 512, height: 512 };
const spinPhoto = { width: 153, height: 192 };

/** What the import dialog does: read the file without a size, then guess its canvas. */
function guessFor(value: unknown, picture: { width: number; height: number } | null) {
  const r = importPoses(value);
  const stated = r.warnings.some((w) => w.code === 'canvas-guessed')
    ? null
    : { width: r.frames[0]!.width, height: r.frames[0]!.height };
  return guessDrawnCanvas({ stated, extent: poseExtent(r.frames), picture, project });
}

describe('guessDrawnCanvas on real pose files', () => {
  it('believes the canvas a ControlNet file states (openpose-editor, 768×512)', () => {
    const g = guessFor(editorPose, spinPhoto);
    expect(g).toEqual({
      candidates: [{ source: 'file', size: { width: 768, height: 512 } }],
      ambiguous: false,
    });
  });

  it('asks for the real OpenPose output of a photo (no canvas), suggesting the photo first', () => {
    // Its points fit both the 153×192 photo and the 512² canvas: asked, the photo offered first.
    const g = guessFor(spinPose, spinPhoto);
    expect(g.ambiguous).toBe(true);
    expect(g.candidates.map((c) => c.source)).toEqual(['picture', 'project']);
  });

  it('takes the project canvas without asking when the points do not fit the picture', () => {
    const g = guessFor(spinPose, { width: 40, height: 40 });
    expect(g.ambiguous).toBe(false);
    expect(g.candidates[0]!.source).toBe('project');
  });
});

describe('guessDrawnCanvas rules', () => {
  const extent = { minX: 10, minY: 10, maxX: 600, maxY: 700 };

  it('takes the picture when only the picture holds the points', () => {
    const g = guessDrawnCanvas({
      stated: null,
      extent,
      picture: { width: 640, height: 720 },
      project,
    });
    expect(g).toMatchObject({
      ambiguous: false,
      candidates: [{ source: 'picture' }, { source: 'project' }],
    });
  });

  it('asks, larger canvas first, when the points fit neither', () => {
    const huge = { minX: -5000, minY: 0, maxX: 9000, maxY: 10 };
    const g = guessDrawnCanvas({ stated: null, extent: huge, picture: spinPhoto, project });
    expect(g.ambiguous).toBe(true);
    expect(g.candidates[0]!.source).toBe('project');
  });

  it('has nothing to ask without a picture, with a picture the canvas size, or without points', () => {
    for (const picture of [null, project, { width: NaN, height: 3 }])
      expect(guessDrawnCanvas({ stated: null, extent, picture, project }).ambiguous).toBe(false);
    expect(
      guessDrawnCanvas({ stated: null, extent: null, picture: spinPhoto, project }).ambiguous,
    ).toBe(false);
  });

  it('ignores an unusable stated canvas (0, NaN, 1e308) and guesses instead', () => {
    for (const stated of [
      { width: 0, height: 5 },
      { width: NaN, height: 5 },
      { width: 1e308, height: 1e308 },
    ])
      expect(
        guessDrawnCanvas({ stated, extent, picture: spinPhoto, project }).candidates[0]!.source,
      ).not.toBe('file');
  });

  it('says which canvas a candidate is', () => {
    expect(candidateText({ source: 'picture', size: spinPhoto })).toBe('the picture (153×192)');
  });
});

describe('placeTrackOn: a pose drawn on the photo lands on the photo in the canvas', () => {
  it('moves the photo centre to the canvas centre and the photo height to the canvas height', () => {
    const points = new Float64Array(408);
    points.set([76.5, 0, 1, 76.5, 192, 1]);
    const track: PoseTrack = {
      ...spinPhoto,
      people: [
        { personId: 0, keyframes: [{ id: 'a', frame: 0, points, easing: { kind: 'linear' } }] },
      ],
    };
    const placed = placeTrackOn(track, spinPhoto, project);
    expect(placed.width).toBe(512);
    const p = placed.people[0]!.keyframes[0]!.points;
    expect(p[0]).toBeCloseTo(256, 9);
    expect(p[1]).toBeCloseTo(0, 9);
    expect(p[4]).toBeCloseTo(512, 9);
    expect(placeTrackOn(track, { width: 0, height: 0 }, project)).toBe(track);
  });

  it('ignores missing and non-finite points in the extent', () => {
    const points = new Float64Array([5, 6, 1, 1e9, 1e9, 0, NaN, 3, 1, 20, 30, 1]);
    expect(poseExtent([{ width: 1, height: 1, people: [{ id: 0, points }] }])).toEqual({
      minX: 5,
      minY: 6,
      maxX: 20,
      maxY: 30,
    });
    expect(poseExtent([])).toBeNull();
  });
});
