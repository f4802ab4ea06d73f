import { describe, expect, it } from 'vitest';
import { Joint } from '#shared/pose/skeleton';
import { emptyPoints, setPoint } from '#shared/pose/types';
import { boneIndex } from './bones';
import { farSide, layerOrder } from './layerOrder';
import { stockPose } from '#test/fixtures/characters/drawCharacter';

describe('layer order', () => {
  it('puts arms in front of the torso and legs behind it for a frontal pose', () => {
    const l = layerOrder(stockPose());
    expect(farSide(stockPose())).toBeUndefined();
    expect(l[boneIndex('rUpperArm')]!).toBeGreaterThan(l[boneIndex('torso')]!);
    expect(l[boneIndex('rForearm')]!).toBeGreaterThan(l[boneIndex('rUpperArm')]!);
    expect(l[boneIndex('lThigh')]!).toBeLessThan(l[boneIndex('torso')]!);
  });

  it('puts the far arm behind the torso in a profile', () => {
    const p = emptyPoints();
    setPoint(p, Joint.neck, 100, 100);
    setPoint(p, Joint.nose, 85, 80); // facing image-left: the right side is away
    setPoint(p, Joint.rShoulder, 102, 105);
    setPoint(p, Joint.lShoulder, 98, 105);
    setPoint(p, Joint.rHip, 101, 200);
    expect(farSide(p)).toBe('r');
    const l = layerOrder(p);
    expect(l[boneIndex('rUpperArm')]!).toBeLessThan(l[boneIndex('torso')]!);
    expect(l[boneIndex('lUpperArm')]!).toBeGreaterThan(l[boneIndex('torso')]!);
    expect(layerOrder(p, { rUpperArm: 9 })[boneIndex('rUpperArm')]).toBe(9);
  });
});
