import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importPoses } from '#shared/pose/formats/index';
import { bvhMotion3d, importBvh } from '#shared/pose/bvh/importBvh';
import { BODY3D_COUNT } from '#shared/pose/bvh/body3d';
import { Joint, PARENT } from '#shared/pose/skeleton';
import { STRIDE, type PoseFrame } from '#shared/pose/types';

const ROOT = resolve(__dirname, '../../..');
const SYNTH = join(ROOT, 'test/fixtures/bvh');
/** Real clips (AnimatedDrawings' FAIR rig, MIT) kept beside the worktrees. */
const REAL = resolve(ROOT, '../shared/fixtures');
const text = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');

const xy = (f: PoseFrame, i: number) => {
  const p = f.people[0]!.points;
  return [p[i * STRIDE]!, p[i * STRIDE + 1]!, p[i * STRIDE + 2]!] as const;
};

describe('BVH skeleton families', () => {
  it.each([
    ['cmu_naming.bvh', 'cmu', 'Neck', 'LeftUpLeg', 'LeftArm', 'LeftToeBase'],
    [
      'mixamo_naming.bvh',
      'mixamo',
      'mixamorig:Neck',
      'mixamorig:LeftUpLeg',
      'mixamorig:LeftArm',
      'mixamorig:LeftToeBase',
    ],
    ['extra_joints.bvh', 'generic', 'neck_01', 'thigh_l', 'upperarm_l', 'ball_l'],
  ])('%s: detected as %s, mapped by name', (file, family, neck, lHip, lShoulder, lToe) => {
    const r = importBvh(text(SYNTH, file), { fileName: file, bvh: { fps: 30 } });
    expect(r.bvh.family).toBe(family);
    expect(r.bvh.mapping).toMatchObject({ neck, lHip, lShoulder, lToe });
    expect(Object.keys(r.bvh.mapping)).toHaveLength(17);
    expect(r.frames).toHaveLength(3); // 3 frames at 1/30 s → 3 at 30 fps
    const [f0, f1] = r.frames as [PoseFrame, PoseFrame];
    for (let i = 0; i < 24; i++) expect(xy(f0, i)[2]).toBe(1);
    // front camera: the person's left is on the image's right, the head above the neck
    expect(xy(f0, Joint.lShoulder)[0]).toBeGreaterThan(xy(f0, Joint.rShoulder)[0]);
    expect(xy(f0, Joint.nose)[1]).toBeLessThan(xy(f0, Joint.neck)[1]);
    expect(xy(f0, Joint.lAnkle)[1]).toBeGreaterThan(xy(f0, Joint.lKnee)[1]);
    // frame 1 turns the left upper arm −90° about Z (each file in its own rotation order):
    // from pointing sideways it hangs straight down
    const [sx, sy] = xy(f1, Joint.lShoulder);
    const [ex, ey] = xy(f1, Joint.lElbow);
    // (to 1e-3: 0.0333333 s frames sampled at 30 fps lean 1e-6 towards the next frame)
    expect(ex).toBeCloseTo(sx, 3);
    expect(ey).toBeGreaterThan(sy);
    const [sx0, sy0] = xy(f0, Joint.lShoulder);
    const [ex0, ey0] = xy(f0, Joint.lElbow);
    expect(ey0).toBeCloseTo(sy0, 3);
    expect(ex0 - sx0).toBeCloseTo(ey - sy, 3);
  });

  it('a real CMU clip: the hips are the joints below the pelvis, not the helpers on it', () => {
    // AnimatedDrawings' cmu1 jumping jacks: LHipJoint / RHipJoint sit on the pelvis (zero
    // offset), LeftHip / RightHip are the hips. Taking the helpers put both hips on one point, so
    // the camera found no left-right axis and drew the performer side on.
    const file = 'cmu_jumping_jacks.bvh';
    const r = importBvh(text(SYNTH, file), { fileName: file });
    expect(r.bvh.family).toBe('cmu');
    expect(r.bvh.mapping).toMatchObject({ lHip: 'LeftHip', rHip: 'RightHip' });
    const f0 = r.frames[0]!;
    const hipSpan = xy(f0, Joint.lHip)[0] - xy(f0, Joint.rHip)[0];
    const trunk = xy(f0, Joint.lHip)[1] - xy(f0, Joint.neck)[1];
    expect(hipSpan).toBeGreaterThan(0.25 * trunk); // facing the camera, apart
    expect(xy(f0, Joint.lShoulder)[0] - xy(f0, Joint.rShoulder)[0]).toBeGreaterThan(0.5 * trunk);
    // A jumping jack: at some frame both hands are above the head.
    const up = r.frames.some(
      (f) =>
        xy(f, Joint.lWrist)[1] < xy(f, Joint.nose)[1] &&
        xy(f, Joint.rWrist)[1] < xy(f, Joint.nose)[1],
    );
    expect(up).toBe(true);
  });

  it('a head ending in a zero End Site (Bandai Namco) still gets a face, sized from the trunk', () => {
    const withTop = importBvh(text(SYNTH, 'cmu_naming.bvh'), { bvh: { fps: 30 } }).frames[0]!;
    const flat = text(SYNTH, 'cmu_naming.bvh').replace(
      /(JOINT Head\n[^]*?End Site\n\s*\{\n\s*)OFFSET 0\.0000 3\.0000 0\.0000/,
      '$1OFFSET 0 0 0',
    );
    expect(flat).not.toBe(text(SYNTH, 'cmu_naming.bvh'));
    const f0 = importBvh(flat, { bvh: { fps: 30 } }).frames[0]!;
    for (const p of [Joint.nose, Joint.lEye, Joint.rEye, Joint.lEar, Joint.rEar])
      expect(xy(f0, p)[2]).toBe(1);
    // Above the neck, about where the rig's own 3-unit head put it.
    expect(xy(f0, Joint.nose)[1]).toBeLessThan(xy(f0, Joint.neck)[1]);
    const headHeight = (f: PoseFrame) => xy(f, Joint.neck)[1] - xy(f, Joint.nose)[1];
    expect(headHeight(f0) / headHeight(withTop)).toBeGreaterThan(0.8);
    expect(headHeight(f0) / headHeight(withTop)).toBeLessThan(1.25);
  });

  it('the side camera sees the performer in profile, facing image left', () => {
    const r = importBvh(text(SYNTH, 'cmu_naming.bvh'), { bvh: { camera: 'side', fps: 30 } });
    const f0 = r.frames[0]!;
    expect(xy(f0, Joint.nose)[0]).toBeLessThan(xy(f0, Joint.neck)[0]);
    expect(xy(f0, Joint.lBigToe)[0]).toBeLessThan(xy(f0, Joint.lHeel)[0]);
    expect(xy(f0, Joint.lShoulder)[0]).toBeCloseTo(xy(f0, Joint.rShoulder)[0], 6);
  });

  it('a clip without the bones of a body names the joints it has', () => {
    const bad = text(SYNTH, 'cmu_naming.bvh')
      .replace(/LeftUpLeg/g, 'Wing1')
      .replace(/RightUpLeg/g, 'Wing2')
      .replace(/[LR]HipJoint/g, 'Flap');
    expect(() => importBvh(bad, { fileName: 'bird.bvh' })).toThrow(
      /^bird\.bvh: HIERARCHY: no joint found for lHip, rHip: joints are Hips, Flap, Wing1/,
    );
  });

  it('refuses an fps that would make more poses than one import may hold', () => {
    const clip = text(SYNTH, 'cmu_naming.bvh').replace('Frame Time: 0.0333333', 'Frame Time: 60');
    // 3 frames of 60 s at 1000 fps = 180,000 poses
    expect(() => importBvh(clip, { fileName: 'long.bvh', bvh: { fps: 1000 } })).toThrow(
      /^long\.bvh: fps: 180000 poses at 1000 fps is more than 100000: import at a lower fps/,
    );
    expect(importBvh(clip, { bvh: { fps: 1 } }).frames).toHaveLength(180);
  });

  it('is read through the pose file registry like any pose file', () => {
    const r = importPoses(text(SYNTH, 'mixamo_naming.bvh'), {
      fileName: 'm.bvh',
      bvh: { fps: 60 },
    });
    expect(r.format).toBe('bvh');
    expect(r.frames).toHaveLength(6);
    expect(r.bvh?.family).toBe('mixamo');
  });
});

const CLIPS = [
  ['wave_hello.bvh', 839, 0.008342],
  ['zombie.bvh', 779, 0.0333333],
] as const;

describe.each(CLIPS)('real clip %s (AnimatedDrawings FAIR rig)', (file, frames, frameTime) => {
  const bvh = text(join(REAL, 'bvh'), file);
  const characterJson = JSON.parse(text(join(REAL, 'drawings/char4'), 'rest_pose.json')) as unknown;
  const character = importPoses(characterJson).frames[0]!;
  const cp = character.people[0]!.points;
  const charLen = (i: number, q: number) =>
    Math.hypot(cp[i * STRIDE]! - cp[q * STRIDE]!, cp[i * STRIDE + 1]! - cp[q * STRIDE + 1]!);
  const charBones = Array.from({ length: BODY3D_COUNT }, (_, i) => [i, PARENT[i]!] as const).filter(
    ([i, q]) => q >= 0 && cp[i * STRIDE + 2]! > 0 && cp[q * STRIDE + 2]! > 0,
  );

  it('has as many poses as its duration at the fps', () => {
    for (const fps of [24, 30, 12.5]) {
      const r = importBvh(bvh, { bvh: { fps } });
      expect(r.frames).toHaveLength(Math.round(frames * frameTime * fps));
      expect(r.bvh).toMatchObject({ sourceFrames: frames, family: 'fair' });
      expect(r.bvh.frameTime).toBeCloseTo(frameTime, 9);
    }
  });

  it('keeps every 3-D bone at the character length after retargeting, in every frame', () => {
    const m = bvhMotion3d(bvh, { bvh: { character } });
    expect(charBones.length).toBeGreaterThanOrEqual(13);
    for (const p of m.frames)
      for (const [i, q] of charBones) {
        const len = Math.hypot(
          p[3 * i]! - p[3 * q]!,
          p[3 * i + 1]! - p[3 * q + 1]!,
          p[3 * i + 2]! - p[3 * q + 2]!,
        );
        expect(Math.abs(len / charLen(i, q) - 1)).toBeLessThan(0.01);
      }
  });

  it.each(['front', 'side', '3q'] as const)(
    'no 2-D bone is longer than the character’s (%s camera, orthographic)',
    (camera) => {
      const r = importBvh(bvh, { bvh: { character, camera } });
      expect(r.frames[0]).toMatchObject({ width: 216, height: 475 });
      // frame 0's neck sits on the character's neck
      expect(xy(r.frames[0]!, Joint.neck)[0]).toBeCloseTo(cp[Joint.neck * STRIDE]!, 6);
      for (const f of r.frames)
        for (const [i, q] of charBones) {
          const [ax, ay] = xy(f, i);
          const [bx, by] = xy(f, q);
          expect(Math.hypot(ax - bx, ay - by)).toBeLessThanOrEqual(charLen(i, q) * 1.000001);
        }
    },
  );

  it('--in-place keeps the hips over their first spot, vertical motion kept', () => {
    const free = bvhMotion3d(bvh, { bvh: { character } });
    const locked = bvhMotion3d(bvh, { bvh: { character, inPlace: true } });
    const up = locked.basis.up;
    const hip = (p: Float64Array) =>
      [0, 1, 2].map((k) => (p[3 * Joint.lHip + k]! + p[3 * Joint.rHip + k]!) / 2);
    const h0 = hip(locked.frames[0]!);
    let travel = 0;
    locked.frames.forEach((p, t) => {
      const d = hip(p).map((x, k) => x - h0[k]!);
      const v = d[0]! * up[0]! + d[1]! * up[1]! + d[2]! * up[2]!;
      const flat = Math.hypot(...d.map((x, k) => x - v * up[k]!));
      expect(flat).toBeLessThan(1e-6 * (1 + Math.abs(v)) + 1e-6);
      const df = hip(free.frames[t]!).map((x, k) => x - hip(free.frames[0]!)[k]!);
      travel = Math.max(travel, Math.hypot(...df));
    });
    expect(travel).toBeGreaterThan(1); // the clip does travel when not locked
  });

  it('perspective draws the same pose, nearer parts larger', () => {
    const o = importBvh(bvh, { bvh: { fps: 6 } });
    const p = importBvh(bvh, { bvh: { fps: 6, projection: 'perspective' } });
    expect(p.frames).toHaveLength(o.frames.length);
    const dx = xy(p.frames[0]!, Joint.lShoulder)[0] - xy(o.frames[0]!, Joint.lShoulder)[0];
    expect(Number.isFinite(dx)).toBe(true);
    expect(
      p.frames.some(
        (f, t) => Math.abs(xy(f, Joint.lWrist)[0] - xy(o.frames[t]!, Joint.lWrist)[0]) > 0.5,
      ),
    ).toBe(true);
  });
});
