import { describe, expect, it } from 'vitest';
import { placePicture } from '#shared/geometry/pictureCanvas';
import { Joint } from '#shared/pose/skeleton';
import { drawnCanvasOf, importPlaced } from './placeImport';
// Real files made by other people (credits in test/fixtures/poses/README.md).
import editorPose from '../../test/fixtures/poses/openpose_editor_pose_hand_fixed.json';
import spinPose from '../../test/fixtures/poses/spin_im1010_openpose.json';

const project = { width: 512, height: 512 };
const photo = { width: 153, height: 192 };

describe('a pose file imported onto the project canvas', () => {
  it('lands the OpenPose output of the photo on the photo as the Editor shows it', () => {
    const guess = drawnCanvasOf(spinPose, { fileName: 'spin.json', picture: photo, project })!;
    expect(guess.ambiguous).toBe(true);
    const drawnOn = guess.candidates[0]!;
    expect(drawnOn.source).toBe('picture');
    const r = importPlaced(spinPose, { tolerance: 0, drawnOn, project });
    expect(r.track).toMatchObject(project);
    // The neck keeps its place on the photo: same fraction of the placed photo rectangle.
    const raw = spinPose.people[0]!.pose_keypoints_2d;
    const at = placePicture(photo, project)!;
    const neck = r.track.people[0]!.keyframes[0]!.points;
    expect(neck[Joint.neck * 3]).toBeCloseTo(at.x + raw[1 * 3]! * at.scale, 6);
    expect(neck[Joint.neck * 3 + 1]).toBeCloseTo(at.y + raw[1 * 3 + 1]! * at.scale, 6);
    // Not in the top-left corner any more: the pose spans most of the canvas height.
    const ys = [...neck].filter((_, i) => i % 3 === 1 && neck[i + 1]! > 0);
    expect(Math.max(...ys) - Math.min(...ys)).toBeGreaterThan(300);
  });

  it("places a file's own 768×512 canvas into the square canvas, aspect kept", () => {
    const guess = drawnCanvasOf(editorPose, { picture: photo, project })!;
    expect(guess).toMatchObject({ ambiguous: false, candidates: [{ source: 'file' }] });
    const r = importPlaced(editorPose, { tolerance: 0, drawnOn: guess.candidates[0]!, project });
    const raw = editorPose.people[0]!.pose_keypoints_2d;
    const p = r.track.people[0]!.keyframes[0]!.points;
    expect(p[0]).toBeCloseTo(raw[0]! * (512 / 768), 6);
    expect(p[1]).toBeCloseTo(raw[1]! * (512 / 768) + (512 - 512 * (512 / 768)) / 2, 6);
    expect(r.warnings.map((w) => w.code)).not.toContain('canvas-ignored');
  });

  it('guesses nothing for a file that is not a pose file', () => {
    expect(drawnCanvasOf({ hello: 1 }, { picture: photo, project })).toBeNull();
  });
});
