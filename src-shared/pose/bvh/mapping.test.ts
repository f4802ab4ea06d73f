import { describe, expect, it } from 'vitest';
import { mapJoints, nameParts } from './mapping';
import { parseBvh } from './parse';
import { TINY_BIPED } from './testClips';

describe('nameParts', () => {
  it.each([
    ['mixamorig:LeftUpLeg', 'l', 'upleg'],
    ['mixamorig1:RightForeArm', 'r', 'forearm'],
    ['Bip01 L UpperArm', 'l', 'upperarm'],
    ['LHipJoint', 'l', 'hip'],
    ['thigh_r', 'r', 'thigh'],
    ['upperarm_twist_01_l', 'l', 'upperarmtwist01'],
    ['RightHandThumb1', 'r', 'handthumb1'],
    ['Hips', undefined, 'hips'],
    ['neck_01', undefined, 'neck01'],
    ['lshoulder', 'l', 'shoulder'],
    ['Lower', undefined, 'lower'],
  ])('%s → side %s, base %s', (name, side, base) => {
    expect(nameParts(name)).toEqual({ side, base });
  });
});

describe('mapJoints', () => {
  it('maps a minimal rig and leaves what it lacks unmapped', () => {
    const c = parseBvh(TINY_BIPED);
    const m = mapJoints(c.joints);
    expect(m).toEqual({ hips: 0, neck: 3, lHip: 1, rHip: 2, lShoulder: 4, rShoulder: 5 });
  });

  it('prefers the upper arm to a clavicle named Shoulder, and the base of the neck', () => {
    const text = TINY_BIPED.replace(
      'JOINT LeftArm { OFFSET 2 0 0 }',
      'JOINT LeftShoulder { OFFSET 1 0 0 JOINT LeftArm { OFFSET 1 0 0 } }',
    )
      .replace('JOINT Neck', 'JOINT Neck')
      .replace('    JOINT RightArm', '    JOINT Neck1 { OFFSET 0 1 0 }\n    JOINT RightArm');
    const c = parseBvh(text);
    const m = mapJoints(c.joints);
    expect(c.joints[m.lShoulder!]!.name).toBe('LeftArm');
    expect(c.joints[m.neck!]!.name).toBe('Neck');
  });

  it('prefers a joint of its own place to a helper placed on its parent', () => {
    // A CMU conversion: LHipJoint on the pelvis (zero offset), the thigh named LeftHip below it.
    const text = TINY_BIPED.replace(
      '  JOINT LeftUpLeg\n  {\n    OFFSET 1 -1 0',
      '  JOINT LHipJoint\n  {\n    OFFSET 0 0 0\n  JOINT LeftHip\n  {\n    OFFSET 1 -1 0',
    ).replace('  JOINT RightUpLeg', '  }\n  JOINT RightUpLeg');
    expect(text).toContain('LHipJoint');
    const c = parseBvh(text);
    expect(c.joints[mapJoints(c.joints).lHip!]!.name).toBe('LeftHip');
    // Given position channels the same helper moves by itself: it is a joint of its own.
    const moving = parseBvh(
      text
        .replace(
          '  JOINT LHipJoint\n  {\n    OFFSET 0 0 0',
          '  JOINT LHipJoint\n  {\n    OFFSET 0 0 0\n    CHANNELS 3 Xposition Yposition Zposition',
        )
        .replace(/^([01] 0 0 0 0 0 0 0 0)$/gm, '$1 0 0 0'),
    );
    expect(moving.joints[mapJoints(moving.joints).lHip!]!.name).toBe('LHipJoint');
  });
});
