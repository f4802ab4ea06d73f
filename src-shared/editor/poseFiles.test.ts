import { describe, expect, it } from 'vitest';
import { Joint } from '#shared/pose/skeleton';
import { evaluateTrack } from '#shared/pose/track';
import { applyCommand, invertCommand } from './commands';
import { dragJoint } from './dragJoint';
import { setPoseAt } from './keyframeOps';
import {
  exportComfyUi,
  exportControlNetFrame,
  importBvhClip,
  importPoseFile,
  replaceTrackCommand,
} from './poseFiles';
import { emptyPoints, setPoint } from '#shared/pose/types';
import { TINY_BIPED } from '#shared/pose/bvh/testClips';
import { twoPeopleTrack } from './samplePose';
import { trackToJson } from './trackJson';
// Real files made by other people (credits in test/fixtures/poses/README.md).
import editorPose from '../../test/fixtures/poses/openpose_editor_pose_hand_fixed.json';
import spinPose from '../../test/fixtures/poses/spin_im1010_openpose.json';

describe('pose file import into the editor', () => {
  it('a single ControlNet pose (sd-webui-openpose-editor) becomes one keyframe on its canvas', () => {
    const r = importPoseFile(editorPose, { fileName: 'pose_hand_fixed.json', tolerance: 2 });
    expect(r.format).toBe('controlnet');
    expect([r.track.width, r.track.height]).toEqual([768, 512]);
    expect(r.frames).toBe(1);
    expect(r.keyframes).toBe(1);
    expect(r.maxError).toBe(0);
    expect(r.track.people[0]!.keyframes[0]!.points[Joint.neck * 3 + 2]).toBeGreaterThan(0);
  });

  it('real CMU OpenPose output (SPIN, BODY_25) imports with its canvas from the picture size', () => {
    const r = importPoseFile(spinPose, {
      fileName: 'im1010_openpose.json',
      tolerance: 2,
      size: { width: 153, height: 192 },
    });
    expect(r.track.people).toHaveLength(1);
    expect([r.track.width, r.track.height]).toEqual([153, 192]);
  });

  it('dense per-frame data is reduced to few keyframes that play back within the tolerance', () => {
    let t = twoPeopleTrack();
    const p0 = t.people[0]!.keyframes[0]!.points;
    t = applyCommand(
      t,
      setPoseAt(t, 0, 30, dragJoint(p0, Joint.lWrist, 260, 40, 'ik'), () => 'a30'),
    );
    t = applyCommand(
      t,
      setPoseAt(t, 0, 60, dragJoint(p0, Joint.rKnee, 120, 230, 'fk'), () => 'a60'),
    );
    const frames = Array.from({ length: 61 }, (_, f) => evaluateTrack(t, f));
    const file = JSON.parse(exportComfyUi(frames)) as unknown;
    const r = importPoseFile(file, { fileName: 'dense.json', tolerance: 1 });
    expect(r.format).toBe('comfyui');
    expect(r.frames).toBe(61);
    expect(r.keyframes).toBeLessThan(20);
    expect(r.maxError).toBeLessThanOrEqual(1);
    for (const f of [7, 30, 45]) {
      const a = evaluateTrack(r.track, f).people[0]!.points;
      const b = frames[f]!.people[0]!.points;
      for (let i = 0; i < 18; i++)
        expect(
          Math.hypot(a[i * 3]! - b[i * 3]!, a[i * 3 + 1]! - b[i * 3 + 1]!),
        ).toBeLessThanOrEqual(1 + 1e-6);
    }
  });

  it('bad input is refused with the reason; replacing the track is one exactly invertible command', () => {
    expect(() => importPoseFile({ hello: 1 }, { fileName: 'x.json', tolerance: 1 })).toThrow(
      /not a pose file/,
    );
    const t = twoPeopleTrack();
    const next = importPoseFile(editorPose, { tolerance: 1 }).track;
    const c = replaceTrackCommand(t, next);
    const replaced = applyCommand(t, c);
    expect(replaced.width).toBe(768);
    expect(JSON.stringify(trackToJson(applyCommand(replaced, invertCommand(c))))).toBe(
      JSON.stringify(trackToJson(t)),
    );
    expect(JSON.parse(exportControlNetFrame(evaluateTrack(replaced, 0))).canvas_width).toBe(768);
  });
});

describe('importPoseFile with BVH motion capture', () => {
  it('reads BVH text with the camera and fps asked and reduces it to keyframes', () => {
    const r = importPoseFile(TINY_BIPED, {
      fileName: 'walk.bvh',
      tolerance: 0.5,
      size: { width: 640, height: 480 },
      bvh: { fps: 30, camera: 'side' },
    });
    expect(r.format).toBe('bvh');
    expect(r.frames).toBe(30); // 2 frames of 0.5 s at 30 fps
    expect(r.track).toMatchObject({ width: 640, height: 480 });
    // the hips move 1 unit along X linearly: two keyframes reproduce it
    expect(r.keyframes).toBeLessThanOrEqual(3);
    expect(r.maxError).toBeLessThanOrEqual(0.5);
  });

  it("says what was read (skeleton, source frames, timing, fps): the studio dialog's clip line", () => {
    const r = importPoseFile(TINY_BIPED, { fileName: 'walk.bvh', tolerance: 2, bvh: { fps: 12 } });
    expect(r.bvh).toMatchObject({ sourceFrames: 2, frameTime: 0.5, fps: 12, family: 'generic' });
    expect(r.bvh!.joints).toContain('Hips');
    expect(r.frames).toBe(12);
  });

  it('a .bvh file whose text is not BVH says what BVH must hold, at line 1', () => {
    for (const text of ['', 'hello', '{"people": []}', '\u0000\u0000'])
      expect(() => importPoseFile(text, { fileName: 'walk.bvh', tolerance: 2 })).toThrow(
        'walk.bvh: line 1: not BVH: a BVH file starts with HIERARCHY',
      );
  });

  it("the studio's import retargets onto the character, or fits the clip and says why it could not", () => {
    const character = (joints: number[]) => {
      const points = emptyPoints();
      for (const j of joints) setPoint(points, j, 200 + j, 100 + 10 * j);
      return { width: 400, height: 300, people: [{ id: 0, points }] };
    };
    const base = { fileName: 'walk.bvh', tolerance: 2, size: { width: 640, height: 480 } };
    const ok = importBvhClip(TINY_BIPED, {
      ...base,
      bvh: { fps: 4 },
      character: character([Joint.neck, Joint.lHip, Joint.rHip, Joint.lShoulder, Joint.rShoulder]),
    });
    expect(ok).toMatchObject({ retargeted: true });
    expect(ok.retargetProblem).toBeUndefined();
    expect([ok.track.width, ok.track.height]).toEqual([400, 300]);

    const noHips = importBvhClip(TINY_BIPED, {
      ...base,
      bvh: { fps: 4 },
      character: character([Joint.neck, Joint.nose]),
    });
    expect(noHips.retargeted).toBe(false);
    expect(noHips.retargetProblem).toMatch(/needs a neck and both hips/);
    expect([noHips.track.width, noHips.track.height]).toEqual([640, 480]);
    expect(noHips.frames).toBe(4);

    const none = importBvhClip(TINY_BIPED, { ...base, bvh: { fps: 4 }, character: null });
    expect(none).toMatchObject({ retargeted: false, frames: 4 });
    // a broken clip is still an error, whatever the character
    expect(() =>
      importBvhClip(TINY_BIPED.replace('Frames: 2', 'Frames: 3'), {
        ...base,
        bvh: { fps: 4 },
        character: character([Joint.neck]),
      }),
    ).toThrow(/^walk\.bvh: line \d+: /);
  });

  it('JSON pose files carry no BVH summary', () => {
    expect(importPoseFile(editorPose, { tolerance: 2 }).bvh).toBeUndefined();
  });
});
