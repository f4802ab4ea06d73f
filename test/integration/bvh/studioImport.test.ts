import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { characterReferenceFrame, type Character } from '#shared/api/index';
import { importPoseFile } from '#shared/editor/poseFiles';
import { Joint, POINT_NAMES } from '#shared/pose/skeleton';

const ROOT = resolve(__dirname, '../../..');
/** Real clips (AnimatedDrawings' FAIR rig, MIT) kept beside the worktrees. */
const REAL = resolve(ROOT, '../shared/fixtures');

/** The sample character as `character.get` shows it (joints with confidence > 0). */
function sprout(): Character {
  const project = JSON.parse(
    readFileSync(join(ROOT, 'assets/sample-project/project.json'), 'utf8'),
  );
  const pose: number[] = project.characters[0].referencePose;
  const joints: Character['joints'] = [];
  for (let i = 0; i < pose.length / 3; i++)
    if (pose[3 * i + 2]! > 0)
      joints.push({
        index: i,
        name: POINT_NAMES[i]!,
        x: pose[3 * i]!,
        y: pose[3 * i + 1]!,
        confidence: pose[3 * i + 2]!,
      });
  return {
    name: 'Sprout',
    picture: 'assets/sprout.png',
    pictureWidth: 512,
    pictureHeight: 512,
    mask: null,
    joints,
  };
}

describe("the studio's BVH import (what the Editor's import dialog computes)", () => {
  const text = readFileSync(join(REAL, 'bvh/wave_hello.bvh'), 'utf8');

  it("retargets a real clip onto the sample character at the project's fps", () => {
    const ch = sprout();
    const r = importPoseFile(text, {
      fileName: 'wave_hello.bvh',
      tolerance: 2,
      bvh: { fps: 24, camera: 'front', character: characterReferenceFrame(ch)! },
    });
    // 839 frames × 0.008342 s = 7.0 s → 168 poses at 24 fps, reduced to far fewer keyframes
    expect(r.frames).toBe(Math.round(839 * 0.008342 * 24));
    expect(r.keyframes).toBeLessThan(r.frames / 2);
    expect(r.maxError).toBeLessThanOrEqual(2);
    expect([r.track.width, r.track.height]).toEqual([512, 512]);
    // frame 0's neck sits on the character's neck (as `poses convert --retarget` does)
    const neck = ch.joints.find((j) => j.index === Joint.neck)!;
    const k0 = r.track.people[0]!.keyframes[0]!;
    expect(k0.frame).toBe(0);
    expect(k0.points[3 * Joint.neck]).toBeCloseTo(neck.x, 6);
    expect(k0.points[3 * Joint.neck + 1]).toBeCloseTo(neck.y, 6);
    expect(r.bvh).toMatchObject({ family: 'fair', sourceFrames: 839, fps: 24 });
  });

  it('the side camera gives a different motion from the same clip', () => {
    const frame = characterReferenceFrame(sprout())!;
    const at = (camera: 'front' | 'side') =>
      importPoseFile(text, { tolerance: 2, bvh: { fps: 24, camera, character: frame } }).track
        .people[0]!.keyframes[0]!.points;
    const front = at('front');
    const side = at('side');
    // seen from the side, the shoulders overlap: far narrower than from the front
    const width = (p: Float64Array) => Math.abs(p[3 * Joint.lShoulder]! - p[3 * Joint.rShoulder]!);
    expect(width(side)).toBeLessThan(width(front) / 2);
  });

  it('a truncated clip is refused with the line number', () => {
    const cut = text.slice(0, Math.floor(text.length / 2));
    expect(() =>
      importPoseFile(cut, { fileName: 'wave_hello.bvh', tolerance: 2, bvh: { fps: 24 } }),
    ).toThrow(/^wave_hello\.bvh: line \d+: /);
  });
});
