/**
 * Small BVH texts for unit tests: a 3-joint chain whose FK can be worked out by hand, and a
 * minimal valid biped (named as CMU does) to break in the malformed-input tests.
 */

/** Root at (1, 2, 3) with `order` rotations, a child 10 units up, an End Site 5 further. */
export function chainClip(order: string, values: readonly number[]): string {
  return [
    'HIERARCHY',
    'ROOT Root',
    '{',
    '  OFFSET 0 0 0',
    `  CHANNELS 6 Xposition Yposition Zposition ${order}`,
    '  JOINT Child',
    '  {',
    '    OFFSET 0 10 0',
    '    CHANNELS 3 Xrotation Yrotation Zrotation',
    '    End Site',
    '    {',
    '      OFFSET 0 5 0',
    '    }',
    '  }',
    '}',
    'MOTION',
    'Frames: 1',
    'Frame Time: 0.04',
    `1 2 3 ${values.join(' ')} 0 0 0`,
    '',
  ].join('\n');
}

/** A valid biped, 9 channels, 2 frames; line numbers are stable (MOTION is line 33). */
export const TINY_BIPED = `HIERARCHY
ROOT Hips
{
  OFFSET 0 0 0
  CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation
  JOINT LeftUpLeg
  {
    OFFSET 1 -1 0
    End Site
    {
      OFFSET 0 -8 0
    }
  }
  JOINT RightUpLeg
  {
    OFFSET -1 -1 0
    End Site
    {
      OFFSET 0 -8 0
    }
  }
  JOINT Neck
  {
    OFFSET 0 8 0
    CHANNELS 3 Zrotation Xrotation Yrotation
    JOINT LeftArm { OFFSET 2 0 0 }
    JOINT RightArm
    {
      OFFSET -2 0 0
    }
  }
}
MOTION
Frames: 2
Frame Time: 0.5
0 0 0 0 0 0 0 0 0
1 0 0 0 0 0 0 0 0
`;
