/**
 * The puppet on real children's drawings from Meta's AnimatedDrawings (../shared/fixtures/drawings,
 * MIT), framed on 512² as AnimatedDrawings frames them: char4 (a human rig) with both arms raised
 * and lowered 60°, a walk pose and AnimatedDrawings' own retargeted dab; char5 (six arms) and char6
 * (four legs) mapped as far as a human skeleton goes, which must never crash.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PuppetCharacter, setupPuppetCharacter } from '#main/engine/puppet/puppetCharacter';
import { renderPuppetFrame } from '#main/engine/puppet/puppetRenderer';
import { boneTransforms } from '#shared/puppet/bones';
import { pictureToFrame } from '#shared/puppet/meshForward';
import { Joint } from '#shared/pose/skeleton';
import {
  char4DabPoses,
  char4RestPose,
  frameDrawing,
  restPoseFromCfg,
} from '#test/fixtures/characters/realDrawing';
import { walkPose } from '#test/fixtures/characters/walkPose';
import { psnr } from './metrics';
import { raisedArmsPose } from './poses';

const deg = (d: number) => (d * Math.PI) / 180;
let dir: string;
let char4: PuppetCharacter;
let rest: Float64Array;
let frame4: (p: Float64Array) => Float64Array;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pose-studio-drawings-'));
  const d = await frameDrawing('char4', dir, 512);
  frame4 = d.frame;
  rest = d.frame(char4RestPose());
  char4 = await setupPuppetCharacter({
    picturePath: d.picturePath,
    maskPath: d.maskPath,
    referencePose: rest,
  });
}, 120_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/**
 * Character pixels (coverage ≥ half), the number of 4-connected pieces of at least 5 px, and the
 * pixels outside the largest piece.
 */
function coverage(
  alpha: Uint8Array,
  width: number,
): { pixels: number; pieces: number; detached: number } {
  const seen = new Uint8Array(alpha.length);
  let pixels = 0;
  let pieces = 0;
  let largest = 0;
  for (let s = 0; s < alpha.length; s++) {
    if (seen[s] || alpha[s]! < 128) continue;
    let size = 0;
    const stack = [s];
    seen[s] = 1;
    while (stack.length > 0) {
      const p = stack.pop()!;
      size++;
      const x = p % width;
      for (const q of [x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, p - width, p + width])
        if (q >= 0 && q < alpha.length && !seen[q] && alpha[q]! >= 128) {
          seen[q] = 1;
          stack.push(q);
        }
    }
    pixels += size;
    largest = Math.max(largest, size);
    if (size >= 5) pieces++;
  }
  return { pixels, pieces, detached: pixels - largest };
}

describe('char4 (AnimatedDrawings), framed on 512²', () => {
  it('gives the drawing back at its rest pose', () => {
    const still = renderPuppetFrame(char4, rest);
    const again = renderPuppetFrame(char4, rest);
    expect(psnr(still.data, again.data)).toBe(Infinity);
    // Over its plate, the rest pose is the framed picture itself (transparent picture: white plate).
    let off = 0;
    for (let i = 0; i < char4.mask.length; i++)
      if (char4.mask[i] && still.coverage[i]! < 250) off++;
    expect(off / char4.maskPixels).toBeLessThan(0.01);
  });

  // char4's arms are up in its rest pose: raised a further 60° they cross in front of the head, so
  // its pixel count drops by what they hide (−9.6%); no pixel-count check for that pose.
  const poses = [
    ['both arms raised 60°', () => raisedArmsPose(rest, deg(60), deg(-60)), false],
    ['both arms lowered 60°', () => raisedArmsPose(rest, deg(-60), deg(60)), true],
    ['a walk-cycle pose', () => walkPose(rest), true],
  ] as const;
  for (const [name, make, count] of poses)
    it(`${name}: joints on target, one piece${count ? ', pixel count within 8%' : ''}`, () => {
      const pose = make();
      const frame = renderPuppetFrame(char4, pose);
      const map = pictureToFrame(char4.mesh, boneTransforms(rest, pose), 512, 512);
      for (const j of [
        Joint.rElbow,
        Joint.lElbow,
        Joint.rWrist,
        Joint.lWrist,
        Joint.rKnee,
        Joint.lKnee,
      ]) {
        const x = Math.round(rest[j * 3]!);
        const y = Math.round(rest[j * 3 + 1]!);
        const u = map[2 * (y * 512 + x)]!;
        const v = map[2 * (y * 512 + x) + 1]!;
        expect(Math.hypot(u - pose[j * 3]!, v - pose[j * 3 + 1]!), `joint ${j}`).toBeLessThan(2.5);
      }
      const before = coverage(renderPuppetFrame(char4, rest).coverage, 512);
      const after = coverage(frame.coverage, 512);
      expect(after.pieces).toBe(1);
      if (count) expect(Math.abs(after.pixels / before.pixels - 1)).toBeLessThan(0.08);
    });

  it('leaves the body below the hips unchanged when only the arms move (≥ 35 dB)', () => {
    const still = renderPuppetFrame(char4, rest);
    const moved = renderPuppetFrame(char4, raisedArmsPose(rest, deg(60), deg(-60)));
    const hipY = Math.ceil(Math.max(rest[Joint.rHip * 3 + 1]!, rest[Joint.lHip * 3 + 1]!)) + 4;
    const from = hipY * 512 * 3;
    expect(psnr(moved.data.subarray(from), still.data.subarray(from))).toBeGreaterThanOrEqual(35);
  });

  // Known limit: in 37 of the 339 frames a sliver of 5–10 px (a border strip under a pixel wide,
  // carried by a limb) stands apart from the body; none is larger than 12 px. The dab folds an arm
  // across the face and body, hiding up to 15% of the pixels (frame 267), hence the 20% bound.
  it('renders all 339 frames of its dab as one body (specks ≤ 12 px), within 20% of its pixel count', () => {
    const base = coverage(renderPuppetFrame(char4, rest).coverage, 512).pixels;
    const worst = { detached: 0, ratio: 0 };
    for (const p of char4DabPoses()) {
      const c = coverage(renderPuppetFrame(char4, frame4(p)).coverage, 512);
      worst.detached = Math.max(worst.detached, c.detached);
      worst.ratio = Math.max(worst.ratio, Math.abs(c.pixels / base - 1));
    }
    expect(worst.detached).toBeLessThanOrEqual(12);
    expect(worst.ratio).toBeLessThan(0.2);
  }, 120_000);
});

describe('non-human rigs', () => {
  for (const name of ['char5', 'char6'])
    it(`${name}: sets up and renders moved limbs without crashing`, async () => {
      const d = await frameDrawing(name, dir, 512);
      const ref = d.frame(restPoseFromCfg(name));
      const ch = await setupPuppetCharacter({
        picturePath: d.picturePath,
        maskPath: d.maskPath,
        referencePose: ref,
      });
      for (const pose of [ref, raisedArmsPose(ref, deg(60), deg(-60)), walkPose(ref)]) {
        const f = renderPuppetFrame(ch, pose);
        expect(f.data.length).toBe(512 * 512 * 3);
        expect(coverage(f.coverage, 512).pixels).toBeGreaterThan(0.8 * ch.maskPixels);
      }
    }, 60_000);
});
