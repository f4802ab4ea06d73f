import { describe, expect, it } from 'vitest';
import { Joint } from '#shared/pose/skeleton';
import { emptyPoints, setPoint } from '#shared/pose/types';
import { armsRaised } from '#shared/pose/motions/limbMotions';
import { BODY_LABEL, LIMB_ROOT, labelParts, limbCover, limbLabel, limbMoved } from './limbs';
import { uncoveredArea } from './uncovered';
import { PART_CODE, limbColouredPixels, paintParts } from './partCodes';
import { count } from './regions';

const W = 120;
const H = 120;
/** A stick figure: 5 px wide bones drawn as the mask. */
function figure() {
  const pose = emptyPoints();
  const j: [number, number, number][] = [
    [Joint.nose, 60, 15],
    [Joint.neck, 60, 30],
    [Joint.rShoulder, 50, 32],
    [Joint.rElbow, 30, 45],
    [Joint.rWrist, 15, 60],
    [Joint.lShoulder, 70, 32],
    [Joint.lElbow, 90, 45],
    [Joint.lWrist, 105, 60],
    [Joint.rHip, 55, 70],
    [Joint.rKnee, 50, 90],
    [Joint.rAnkle, 48, 110],
    [Joint.lHip, 65, 70],
    [Joint.lKnee, 70, 90],
    [Joint.lAnkle, 72, 110],
  ];
  for (const [k, x, y] of j) setPoint(pose, k, x, y);
  const mask = new Uint8Array(W * H);
  const seg = (a: number, b: number) => {
    for (let t = 0; t <= 1; t += 0.005) {
      const x = pose[a * 3]! + t * (pose[b * 3]! - pose[a * 3]!);
      const y = pose[a * 3 + 1]! + t * (pose[b * 3 + 1]! - pose[a * 3 + 1]!);
      for (let v = -2; v <= 2; v++)
        for (let u = -2; u <= 2; u++) mask[Math.round(y + v) * W + Math.round(x + u)] = 1;
    }
  };
  for (const [a, b] of [
    [Joint.nose, Joint.neck],
    [Joint.neck, Joint.rHip],
    [Joint.neck, Joint.lHip],
    [Joint.rShoulder, Joint.rElbow],
    [Joint.rElbow, Joint.rWrist],
    [Joint.lShoulder, Joint.lElbow],
    [Joint.lElbow, Joint.lWrist],
    [Joint.rHip, Joint.rKnee],
    [Joint.rKnee, Joint.rAnkle],
    [Joint.lHip, Joint.lKnee],
    [Joint.lKnee, Joint.lAnkle],
  ] as const)
    seg(a, b);
  return { pose, mask };
}

describe('limb leftovers', () => {
  it('labels arms, legs and body; the raised arm’s cover is the rotated arm; the uncovered area is where it was', () => {
    const { pose, mask } = figure();
    const parts = labelParts(mask, W, H, pose);
    const at = (x: number, y: number) => parts.label[y * W + x];
    expect(at(22, 52)).toBe(limbLabel('rightArm'));
    expect(at(71, 100)).toBe(limbLabel('leftLeg'));
    expect(at(60, 40)).toBe(BODY_LABEL);
    const target = armsRaised(pose, 60);
    expect(limbMoved(pose, target, 'rightArm')).toBe(true);
    expect(limbMoved(pose, target, 'rightLeg')).toBe(false);
    const label = limbLabel('rightArm');
    const cover = limbCover(parts, W, H, pose, target, label);
    const wrist = [
      Math.round(target[Joint.rWrist * 3]!),
      Math.round(target[Joint.rWrist * 3 + 1]!),
    ];
    expect(cover[wrist[1]! * W + wrist[0]!]).toBe(1);
    const root = [pose[LIMB_ROOT.rightArm * 3]!, pose[LIMB_ROOT.rightArm * 3 + 1]!] as const;
    const gone = uncoveredArea(parts, cover, W, H, label, [[...root, 0]], 6);
    expect(count(gone)).toBeGreaterThan(100);
    expect(gone[60 * W + 15]).toBe(1); // the old wrist

    // A frame where the arm left nothing behind, and one where it stayed as a ghost.
    const rgba = new Uint8Array(W * H * 4);
    for (let i = 0; i < W * H; i++) rgba[i * 4 + 3] = mask[i] ? 255 : 0;
    paintParts(rgba, parts.label);
    const ghost = new Uint8Array(W * H * 3).fill(255);
    for (let i = 0; i < W * H; i++)
      if (rgba[i * 4 + 3]) ghost.set(rgba.subarray(i * 4, i * 4 + 3), i * 3);
    const clean = new Uint8Array(W * H * 3).fill(255);
    expect(limbColouredPixels(clean, gone, 'rightArm')).toBe(0);
    expect(limbColouredPixels(ghost, gone, 'rightArm')).toBe(count(gone));
    expect(PART_CODE.rightArm).not.toEqual(PART_CODE.leftArm);
  });

  it('leaves unlabelled a piece nearest to a limb’s bone but not joined to the limb (a head’s outline beside a forearm)', () => {
    const { pose, mask } = figure();
    // A separate blob 10 px beside the right forearm, 20 px from the body: the forearm's bone is
    // its nearest, but nothing joins it to the arm.
    for (let y = 56; y <= 57; y++) for (let x = 33; x <= 34; x++) mask[y * W + x] = 1;
    const parts = labelParts(mask, W, H, pose);
    expect(parts.label[56 * W + 33]).toBe(0);
    expect(parts.bone[56 * W + 33]).toBe(-1);
    expect(parts.label[52 * W + 22]).toBe(limbLabel('rightArm'));
    // Its cover is the arm alone: nothing where the blob was is carried along.
    const target = armsRaised(pose, 60);
    const gone = uncoveredArea(
      parts,
      limbCover(parts, W, H, pose, target, limbLabel('rightArm')),
      W,
      H,
      limbLabel('rightArm'),
      [[pose[LIMB_ROOT.rightArm * 3]!, pose[LIMB_ROOT.rightArm * 3 + 1]!, 0]],
      6,
    );
    expect(gone[56 * W + 33]).toBe(0);
  });
});
