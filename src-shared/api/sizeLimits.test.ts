import { describe, expect, it } from 'vitest';
import { parseParams } from './validate';
import {
  base64Length,
  MAX_FRAME_BYTES,
  MAX_PICTURE_BASE64,
  MAX_PICTURE_BYTES,
  MAX_POSE_FILE_BYTES,
  pictureSizeProblem,
  poseFileSizeProblem,
} from './sizeLimits';

describe('the picture size limit, one constant for the UI, the contract and the host', () => {
  it('the UI lets through exactly what the contract accepts', () => {
    expect(pictureSizeProblem('hero.png', MAX_PICTURE_BYTES)).toBeNull();
    expect(pictureSizeProblem('hero.png', 1)).toBeNull();
    expect(pictureSizeProblem('hero.png', MAX_PICTURE_BYTES + 1)).toEqual({
      message: '"hero.png" is 48 MB; pictures can be at most 48 MB',
      hint: expect.stringMatching(/Save it smaller/) as unknown as string,
    });
    expect(pictureSizeProblem('big.jpg', 70 * 1024 * 1024)?.message).toBe(
      '"big.jpg" is 70 MB; pictures can be at most 48 MB',
    );
    for (const bad of [0, -1, Number.NaN])
      expect(pictureSizeProblem('x.png', bad)?.message).toBe('"x.png" is empty');
  });

  it('the contract refuses a longer dataBase64 with the limit in words', () => {
    const atLimit = 'A'.repeat(MAX_PICTURE_BASE64);
    expect(() =>
      parseParams('character.importPicture', { fileName: 'a.png', dataBase64: atLimit }),
    ).not.toThrow();
    expect(() =>
      parseParams('character.importPicture', { fileName: 'a.png', dataBase64: atLimit + 'AAAA' }),
    ).toThrow(
      'character.importPicture: params.dataBase64: the picture is larger than 48 MB; save it smaller and import it again',
    );
  });

  it('the host reads every message the contract accepts (a full picture call fits in a frame)', () => {
    expect(base64Length(MAX_PICTURE_BYTES)).toBe(MAX_PICTURE_BASE64);
    const envelope = JSON.stringify({
      type: 'call',
      id: Number.MAX_SAFE_INTEGER,
      method: 'character.importPicture',
      params: { fileName: 'x'.repeat(255 * 6), dataBase64: '' },
    }).length;
    expect(MAX_FRAME_BYTES).toBeGreaterThanOrEqual(MAX_PICTURE_BASE64 + envelope);
  });
});

describe('pose file size (checked in the studio before the file is read)', () => {
  it('refuses empty, broken and too large sizes in the user’s words, naming the file', () => {
    expect(poseFileSizeProblem('walk.bvh', 1)).toBeNull();
    expect(poseFileSizeProblem('walk.bvh', MAX_POSE_FILE_BYTES)).toBeNull();
    for (const bytes of [0, -1, NaN, Infinity])
      expect(poseFileSizeProblem('walk.bvh', bytes)).toBe(
        'walk.bvh is empty: choose another pose file',
      );
    expect(poseFileSizeProblem('walk.bvh', MAX_POSE_FILE_BYTES + 1)).toBe(
      'walk.bvh is 200 MB; pose files can be at most 200 MB: cut the clip (or export fewer frames) and import it again',
    );
    expect(poseFileSizeProblem('huge.bvh', Number.MAX_SAFE_INTEGER)).toMatch(
      /^huge\.bvh is 8589934592 MB; /,
    );
  });
});
