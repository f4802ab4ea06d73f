import { describe, expect, it } from 'vitest';
import { PoseFormatError } from '#shared/pose/formats/errors';
import { parseBvh } from './parse';
import { TINY_BIPED } from './testClips';

/** The error parseBvh throws for `text`, checked to be a PoseFormatError naming the file. */
function failure(text: string): PoseFormatError {
  try {
    parseBvh(text, 'clip.bvh');
  } catch (e) {
    expect(e).toBeInstanceOf(PoseFormatError);
    expect((e as Error).message.startsWith('clip.bvh: line ')).toBe(true);
    return e as PoseFormatError;
  }
  throw new Error('parseBvh accepted the text');
}
const lines = TINY_BIPED.split('\n');
const edit = (at: number, line: string | null) =>
  lines.flatMap((l, i) => (i === at - 1 ? (line === null ? [] : [line]) : [l])).join('\n');

describe('parseBvh', () => {
  it('reads joints, channels in file order, End Sites and the motion table', () => {
    const c = parseBvh(TINY_BIPED);
    expect(c.joints.map((j) => j.name)).toEqual([
      'Hips',
      'LeftUpLeg',
      'RightUpLeg',
      'Neck',
      'LeftArm',
      'RightArm',
    ]);
    expect(c.channelCount).toBe(9);
    expect(c.joints[3]!.channelStart).toBe(6);
    expect(c.joints[0]!.channels.map((ch) => `${ch.kind}${'XYZ'[ch.axis]}`)).toEqual([
      'positionX',
      'positionY',
      'positionZ',
      'rotationZ',
      'rotationX',
      'rotationY',
    ]);
    expect(c.joints[1]!.endSite).toEqual([0, -8, 0]);
    expect(c.joints[4]!.offset).toEqual([2, 0, 0]);
    expect([c.frameCount, c.frameTime]).toEqual([2, 0.5]);
    expect(c.motion[9]).toBe(1);
  });

  it('reads CRLF and CR line ends, tabs and a byte-order mark the same way', () => {
    const plain = parseBvh(TINY_BIPED);
    expect(parseBvh(`\uFEFF${TINY_BIPED}`)).toEqual(plain);
    expect(parseBvh(TINY_BIPED.replace(/\n/g, '\r\n'))).toEqual(plain);
    expect(parseBvh(TINY_BIPED.replace(/\n/g, '\r'))).toEqual(plain);
    expect(parseBvh(TINY_BIPED.replace(/ +/g, '\t'))).toEqual(plain);
  });

  it('reads joint names with spaces (3ds Max Biped)', () => {
    const c = parseBvh(TINY_BIPED.replace('JOINT LeftUpLeg', 'JOINT Bip01 L Thigh'));
    expect(c.joints[1]!.name).toBe('Bip01 L Thigh');
  });

  it('names the line of a truncated motion', () => {
    expect(failure(edit(37, null)).message).toMatch(
      /line \d+: the motion is truncated: Frames says 2/,
    );
  });

  it('names the line of a frame with the wrong number of channels', () => {
    expect(failure(edit(37, '1 0 0 0 0 0 0 0')).message).toBe(
      "clip.bvh: line 37: frame 1 has 8 numbers, the hierarchy's CHANNELS add up to 9",
    );
    expect(failure(edit(36, '0 0 0 0 0 0 0 0 0 0')).path).toBe('line 36');
  });

  it('refuses NaN, Infinity and 1e308 with the frame and channel', () => {
    expect(failure(edit(37, '1 0 0 NaN 0 0 0 0 0')).message).toBe(
      'clip.bvh: line 37: frame 1, channel 4: "NaN" is not a number',
    );
    expect(failure(edit(37, '1 0 0 Infinity 0 0 0 0 0')).path).toBe('line 37');
    expect(failure(edit(37, '1 0 0 1e308 0 0 0 0 0')).message).toMatch(
      /line 37: frame 1, channel 4: 1e308 is out of range/,
    );
    expect(failure(edit(8, '    OFFSET 1 -1e308 0')).message).toMatch(/line 8: OFFSET y: -1e308/);
  });

  it('names where a brace is missing', () => {
    expect(failure(edit(31, null)).message).toMatch(
      /line 32: the hierarchy ends early: expected JOINT, End Site or "}"/,
    );
    expect(failure(edit(7, null)).message).toBe('clip.bvh: line 7: expected "{", found "OFFSET"');
  });

  it('refuses zero frames, a huge frame count and a bad frame time', () => {
    expect(failure(edit(34, 'Frames: 0')).message).toBe(
      'clip.bvh: line 34: Frames must be a whole number ≥ 1, got 0',
    );
    expect(failure(edit(34, 'Frames: 999999999')).message).toMatch(
      /line 34: Frames: 999999999 is more than/,
    );
    // declared within the limit but far beyond the file: no allocation, a clear truncation error
    expect(failure(edit(34, 'Frames: 900000')).message).toMatch(/truncated: Frames says 900000/);
    expect(failure(edit(35, 'Frame Time: 0')).path).toBe('line 35');
    expect(failure(edit(35, 'Frame Time: -1')).path).toBe('line 35');
    expect(failure(edit(34, 'Frame: 2')).message).toMatch(/line 34: expected "Frames: <count>"/);
  });

  it('refuses extra frame lines, unknown channels and wrong channel counts', () => {
    expect(failure(`${TINY_BIPED}2 0 0 0 0 0 0 0 0\n`).message).toMatch(
      /line 38: more frame lines than "Frames: 2" declares/,
    );
    expect(failure(edit(25, '    CHANNELS 3 Zrotation Xrotation Wrotation')).message).toMatch(
      /line 25: "Wrotation" is not a channel/,
    );
    expect(failure(edit(25, '    CHANNELS 7 Zrotation Xrotation Yrotation')).message).toMatch(
      /line 25: CHANNELS count must be 0 to 6/,
    );
    // CHANNELS says 4 but lists 3: the next keyword is read as a channel and named
    expect(failure(edit(25, '    CHANNELS 4 Zrotation Xrotation Yrotation')).message).toMatch(
      /line 26: "JOINT" is not a channel/,
    );
  });

  it('refuses text that is not BVH, or has no MOTION', () => {
    expect(failure('{"people": []}').message).toMatch(/no MOTION section/);
    expect(failure(TINY_BIPED.split('MOTION')[0]!).message).toMatch(/no MOTION section/);
    expect(failure('HIERARCHY\nMOTION\nFrames: 1\nFrame Time: 1\n\n').message).toMatch(
      /line 2: the HIERARCHY has no ROOT joint/,
    );
  });
});
