import { describe, expect, it } from 'vitest';
import { Joint } from '#shared/pose/skeleton';
import { POINTS_LENGTH } from '#shared/pose/types';
import { BODY_LABEL, labelParts, limbLabel } from './checks/limbs';
import { boneIndex } from './bones';
import { coveredLength } from './coveredLegs';
import { slidingUnder, meshJoints } from './meshJoints';
import { labelCell, partLabels } from './partLabels';

const N = 160;
const GRID = { x0: 0, y0: 0, w: N, h: N, scale: 1 };

function rect(mask: Uint8Array, x0: number, x1: number, y0: number, y1: number) {
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) mask[y * N + x] = 1;
}

/** A body from the neck (y 10) to the hips (y 70), two legs 8 px wide from the hips to y 150. */
function figure(skirtTo?: number) {
  const mask = new Uint8Array(N * N);
  rect(mask, 55, 105, 10, 70);
  rect(mask, 62, 69, 70, 150);
  rect(mask, 91, 98, 70, 150);
  // A flared skirt from the waist (y 55) to its hem.
  if (skirtTo !== undefined)
    for (let y = 55; y <= skirtTo; y++)
      rect(mask, Math.round(50 - (y - 55) / 2), Math.round(110 + (y - 55) / 2), y, y);
  const p = new Float64Array(POINTS_LENGTH);
  for (const [j, x, y] of [
    [Joint.neck, 80, 10],
    [Joint.rShoulder, 58, 15],
    [Joint.lShoulder, 102, 15],
    [Joint.rHip, 65, 70],
    [Joint.lHip, 95, 70],
    [Joint.rKnee, 65, 110],
    [Joint.lKnee, 95, 110],
    [Joint.rAnkle, 65, 148],
    [Joint.lAnkle, 95, 148],
  ] as const)
    p.set([x, y, 1], j * 3);
  return { mask, ref: p };
}

const hip = (ref: Float64Array, j: number) => [ref[j * 3]!, ref[j * 3 + 1]!] as const;
const legOf = (ref: Float64Array, mask: Uint8Array) =>
  coveredLength(hip(ref, Joint.rHip), hip(ref, Joint.rKnee), hip(ref, Joint.rAnkle), mask, GRID);

describe('coveredLength (a leg under a skirt)', () => {
  it('finds the skirt: the leg runs under it from the hip to the hem, and is 8 px wide below', () => {
    const { mask, ref } = figure(100);
    const leg = legOf(ref, mask)!;
    expect(leg.length).toBeGreaterThanOrEqual(26);
    expect(leg.length).toBeLessThanOrEqual(31); // the hem is 30 px past the hip
    expect(leg.half).toBeCloseTo(4, 0);
  });

  it('bare legs and a pelvis wider than the legs for a few pixels are not under anything', () => {
    expect(legOf(figure().ref, figure().mask)).toBeUndefined();
    const { mask, ref } = figure();
    rect(mask, 55, 105, 70, 76); // the pelvis reaches 6 px below the hips
    expect(legOf(ref, mask)).toBeUndefined();
  });

  it('hostile joints: missing, NaN, 1e308 or off the grid give no cover and return at once', () => {
    const { mask, ref } = figure(100);
    const k = hip(ref, Joint.rKnee);
    const a = hip(ref, Joint.rAnkle);
    expect(coveredLength(undefined, k, a, mask, GRID)).toBeUndefined();
    expect(coveredLength([NaN, 70], k, a, mask, GRID)).toBeUndefined();
    expect(coveredLength([65, 70], [1e308, 1e308], a, mask, GRID)).toBeUndefined();
    expect(coveredLength([-5000, -5000], k, [5000, 5000], mask, GRID)).toBeUndefined();
    expect(coveredLength([65, 70], [65, 70], [65, 70], mask, GRID)).toBeUndefined();
  });

  it('the skirt goes with the torso; the legs start at the hem and are not stitched to it', () => {
    const { mask, ref } = figure(100);
    const labels = partLabels(ref, mask, N, N, 6);
    const part = (x: number, y: number) => labels.first[labelCell(labels, x, y)]!;
    // The skirt beside and over the thighs, down to the hem.
    for (const [x, y] of [
      [52, 70],
      [65, 90],
      [80, 98],
      [95, 95],
      [112, 99],
    ] as const)
      expect(part(x, y)).toBe(boneIndex('torso'));
    expect(part(65, 106)).toBe(boneIndex('rThigh'));
    expect(part(95, 125)).toBe(boneIndex('lShin'));
    // No cell blends with a part nearer than its own (a held-back thigh arriving late).
    for (let c = 0; c < labels.first.length; c++)
      if (labels.second[c]! >= 0) expect(labels.d2[c]!).toBeGreaterThanOrEqual(labels.d1[c]!);
    const joints = slidingUnder(meshJoints(ref), labels.underCover);
    expect(joints.radius[boneIndex('rThigh')]).toBe(0);
    expect(joints.radius[boneIndex('lThigh')]).toBe(0);
    expect(joints.radius[boneIndex('rUpperArm')]).toBe(
      meshJoints(ref).radius[boneIndex('rUpperArm')],
    );
    // Bare legs: stitched as before.
    const bare = figure();
    const bareLabels = partLabels(bare.ref, bare.mask, N, N, 6);
    expect(slidingUnder(meshJoints(bare.ref), bareLabels.underCover)).toEqual(meshJoints(bare.ref));
  });

  it("the leftover check's labels agree: the skirt is the body's, the legs below the hem the legs'", () => {
    const { mask, ref } = figure(100);
    const { label } = labelParts(mask, N, N, ref);
    expect(label[90 * N + 65]).toBe(BODY_LABEL);
    expect(label[98 * N + 52]).toBe(BODY_LABEL);
    expect(label[125 * N + 65]).toBe(limbLabel('rightLeg'));
    expect(label[125 * N + 95]).toBe(limbLabel('leftLeg'));
    // Bare legs: the thigh is the leg's right from the hips.
    const bare = figure();
    expect(labelParts(bare.mask, N, N, bare.ref).label[85 * N + 65]).toBe(limbLabel('rightLeg'));
  });
});
