import { describe, expect, it } from 'vitest';
import { Joint } from '#shared/pose/skeleton';
import { apply } from './affine';
import { boneIndex, boneTransforms } from './bones';
import { stockPose } from '#test/fixtures/characters/drawCharacter';

describe('bone transforms', () => {
  it('are the identity at the reference pose', () => {
    for (const m of boneTransforms(stockPose(), stockPose()))
      m.forEach((v, i) => expect(v).toBeCloseTo([1, 0, 0, 1, 0, 0][i]!, 9));
  });

  it('land limb joints exactly on the target joints', () => {
    const target = stockPose();
    target[Joint.rWrist * 3] = 120;
    target[Joint.rWrist * 3 + 1] = 150;
    const fore = boneTransforms(stockPose(), target)[boneIndex('rForearm')]!;
    const ref = stockPose();
    const [x, y] = apply(fore, ref[Joint.rWrist * 3]!, ref[Joint.rWrist * 3 + 1]!);
    expect([x, y]).toEqual([expect.closeTo(120, 9), expect.closeTo(150, 9)]);
  });

  it('keep a missing limb rigid with its parent', () => {
    const target = stockPose();
    for (let i = 0; i < target.length; i += 3) target[i] = target[i]! + 20; // body moved right
    target[Joint.lWrist * 3 + 2] = 0; // wrist lost
    const maps = boneTransforms(stockPose(), target);
    expect(maps[boneIndex('lForearm')]).toEqual(maps[boneIndex('lUpperArm')]);
    expect(maps[boneIndex('lHand')]).toEqual(maps[boneIndex('lForearm')]);
  });
});
