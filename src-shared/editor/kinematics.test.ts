import { describe, expect, it } from 'vitest';
import { Joint, LEFT_HAND, POINT_COUNT } from '#shared/pose/skeleton';
import { dragJoint } from './dragJoint';
import { dragEndEffector, limbEndingAt, solveTwoBone } from './ik';
import { boneLength, moveJointFree, pointXY, rotateBoneToward, subtree } from './kinematics';
import { standingPerson } from './samplePose';

const dist = (a: readonly number[], b: readonly number[]) =>
  Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!);

describe('FK with length lock', () => {
  it('rotating the elbow keeps the upper arm length and carries forearm and hand', () => {
    const p = standingPerson();
    const lenBefore = boneLength(p, Joint.lElbow);
    const forearm = boneLength(p, Joint.lWrist);
    const out = rotateBoneToward(p, Joint.lElbow, 400, 0);
    expect(boneLength(out, Joint.lElbow)).toBeCloseTo(lenBefore, 9);
    expect(boneLength(out, Joint.lWrist)).toBeCloseTo(forearm, 9);
    // the elbow now points at the target direction from the shoulder
    const [sx, sy] = pointXY(out, Joint.lShoulder);
    const [ex, ey] = pointXY(out, Joint.lElbow);
    expect(Math.atan2(ey - sy, ex - sx)).toBeCloseTo(Math.atan2(0 - sy, 400 - sx), 9);
    // hand points keep their distance to the wrist (rigid)
    for (let i = 0; i < LEFT_HAND.count; i++)
      expect(dist(pointXY(out, LEFT_HAND.start + i), pointXY(out, Joint.lWrist))).toBeCloseTo(
        dist(pointXY(p, LEFT_HAND.start + i), pointXY(p, Joint.lWrist)),
        9,
      );
    // the other arm did not move
    expect(pointXY(out, Joint.rWrist)).toEqual(pointXY(p, Joint.rWrist));
  });

  it('subtree of the neck is the whole person and dragging it translates everything', () => {
    expect(new Set(subtree(Joint.neck)).size).toBe(POINT_COUNT);
    const p = standingPerson();
    const [nx, ny] = pointXY(p, Joint.neck);
    const out = dragJoint(p, Joint.neck, nx + 10, ny - 5, 'ik');
    for (let i = 0; i < POINT_COUNT; i++) {
      expect(out[i * 3]).toBeCloseTo(p[i * 3]! + 10, 9);
      expect(out[i * 3 + 1]).toBeCloseTo(p[i * 3 + 1]! - 5, 9);
    }
  });

  it('leaves missing points exactly as they were', () => {
    const p = standingPerson();
    p[(LEFT_HAND.start + 3) * 3 + 2] = 0;
    p[(LEFT_HAND.start + 3) * 3] = 0;
    p[(LEFT_HAND.start + 3) * 3 + 1] = 0;
    const out = rotateBoneToward(p, Joint.lElbow, 0, 0);
    expect(Array.from(out.subarray((LEFT_HAND.start + 3) * 3, (LEFT_HAND.start + 4) * 3))).toEqual([
      0, 0, 0,
    ]);
  });

  it('free move changes the bone length but carries the hand with the wrist', () => {
    const p = standingPerson();
    const out = moveJointFree(p, Joint.lWrist, 300, 300);
    expect(pointXY(out, Joint.lWrist)).toEqual([300, 300]);
    const [wx, wy] = pointXY(p, Joint.lWrist);
    const [hx, hy] = pointXY(p, LEFT_HAND.start + 8);
    expect(pointXY(out, LEFT_HAND.start + 8)[0]).toBeCloseTo(hx + 300 - wx, 9);
    expect(pointXY(out, LEFT_HAND.start + 8)[1]).toBeCloseTo(hy + 300 - wy, 9);
    expect(pointXY(out, Joint.lElbow)).toEqual(pointXY(p, Joint.lElbow));
  });
});

describe('two-bone IK', () => {
  it('reaches a reachable target with both bone lengths kept', () => {
    const sol = solveTwoBone([0, 0], [10, 0], [20, 0], [12, 5]);
    expect(sol.reached).toBe(true);
    expect(dist(sol.end, [12, 5])).toBeLessThan(1e-9);
    expect(dist(sol.middle, [0, 0])).toBeCloseTo(10, 9);
    expect(dist(sol.end, sol.middle)).toBeCloseTo(10, 9);
  });

  it('clamps an unreachable target to full extension along the pointer direction', () => {
    const sol = solveTwoBone([0, 0], [10, 0], [18, 6], [100, 0]);
    expect(sol.reached).toBe(false);
    expect(sol.end[0]).toBeCloseTo(20, 6);
    expect(sol.end[1]).toBeCloseTo(0, 6);
  });

  it('clamps a target too close to the root onto the inner reach', () => {
    const sol = solveTwoBone([0, 0], [10, 0], [14, 3], [1, 0]);
    expect(sol.reached).toBe(false);
    expect(dist(sol.end, [0, 0])).toBeCloseTo(Math.abs(10 - Math.hypot(4, 3)), 6);
  });

  it('keeps the bend side of the middle joint', () => {
    const cross = (a: readonly number[], m: readonly number[], e: readonly number[]) =>
      (e[0]! - a[0]!) * (m[1]! - a[1]!) - (e[1]! - a[1]!) * (m[0]! - a[0]!);
    for (const mid of [
      [5, 8],
      [5, -8],
    ] as const) {
      const before = Math.sign(cross([0, 0], mid, [10, 0]));
      const sol = solveTwoBone([0, 0], mid, [10, 0], [3, 7]);
      expect(Math.sign(cross([0, 0], sol.middle, sol.end))).toBe(before);
    }
  });

  it('dragging a wrist solves the elbow; the hand turns with the forearm and stays rigid', () => {
    const p = standingPerson();
    const limb = limbEndingAt(Joint.lWrist)!;
    const res = dragEndEffector(p, limb, 330, 150)!;
    expect(res.reached).toBe(true);
    const out = res.points;
    expect(pointXY(out, Joint.lWrist)[0]).toBeCloseTo(330, 9);
    expect(pointXY(out, Joint.lWrist)[1]).toBeCloseTo(150, 9);
    expect(boneLength(out, Joint.lElbow)).toBeCloseTo(boneLength(p, Joint.lElbow), 9);
    expect(boneLength(out, Joint.lWrist)).toBeCloseTo(boneLength(p, Joint.lWrist), 9);
    expect(pointXY(out, Joint.lShoulder)).toEqual(pointXY(p, Joint.lShoulder));
    for (let i = 1; i < LEFT_HAND.count; i++)
      expect(dist(pointXY(out, LEFT_HAND.start + i), pointXY(out, LEFT_HAND.start))).toBeCloseTo(
        dist(pointXY(p, LEFT_HAND.start + i), pointXY(p, LEFT_HAND.start)),
        9,
      );
  });

  it('fk mode rotates the forearm about the elbow instead of solving IK', () => {
    const p = standingPerson();
    const out = dragJoint(p, Joint.lWrist, 400, 100, 'fk');
    expect(pointXY(out, Joint.lElbow)).toEqual(pointXY(p, Joint.lElbow));
    expect(boneLength(out, Joint.lWrist)).toBeCloseTo(boneLength(p, Joint.lWrist), 9);
  });
});
