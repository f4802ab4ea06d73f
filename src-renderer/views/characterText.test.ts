import { describe, expect, it } from 'vitest';
import type { Joint } from '#shared/api/index';
import { characterFacts, detectedText, pictureAspect } from './characterText';

describe('character panel words', () => {
  it('says who was detected, how long it took and how many body joints were found', () => {
    expect(detectedText({ people: 1, bodyJoints: 22, ms: 1234 })).toBe(
      'Detected one person in 1.2 s: 22 of 24 body joints found. ' +
        'Drag any joint that is off, or undo to get the previous pose back.',
    );
    expect(detectedText({ people: 3, bodyJoints: 24, ms: 80 })).toMatch(
      /^Detected 3 people \(the first is used\) in 0\.1 s: 24 of 24/,
    );
  });

  it('leaves the time out rather than printing NaN', () => {
    expect(detectedText({ people: 1, bodyJoints: 5, ms: NaN })).toMatch(
      /^Detected one person: 5 of 24/,
    );
    expect(detectedText({ people: 1, bodyJoints: 5, ms: -1 })).not.toMatch(/-0\.0 s/);
  });

  it('the picture box keeps the picture’s shape; without a usable size it is square', () => {
    expect(pictureAspect(512, 768)).toBe('512 / 768');
    // "512 / 0" is not a CSS aspect ratio: the box would collapse and hide the picture
    expect(pictureAspect(512, 0)).toBe('1 / 1');
    expect(pictureAspect(0, 0)).toBe('1 / 1');
    expect(pictureAspect(NaN, 100)).toBe('1 / 1');
    expect(pictureAspect(Infinity, 100)).toBe('1 / 1');
  });

  it('counts only the joints that were found', () => {
    const joint = (index: number, confidence: number): Joint => ({
      index,
      name: `j${index}`,
      x: 0,
      y: 0,
      confidence,
    });
    expect(
      characterFacts({
        pictureWidth: 512,
        pictureHeight: 768,
        joints: [joint(0, 1), joint(1, 0.3), joint(2, 0), joint(3, NaN)],
      }),
    ).toBe('512×768 px, 2 joints');
    expect(characterFacts({ pictureWidth: 0, pictureHeight: 0, joints: [joint(0, 1)] })).toBe(
      '0×0 px, 1 joint',
    );
  });
});

describe('mask words', () => {
  it('says where every mask source came from, and what happens without a mask file', async () => {
    const { maskSourceText, automaticMaskText } = await import('./characterText');
    const { MASK_SOURCES } = await import('#shared/puppet/mask');
    const texts = MASK_SOURCES.map(maskSourceText);
    expect(new Set(texts).size).toBe(MASK_SOURCES.length);
    expect(maskSourceText('pose')).toMatch(/roughly/);
    expect(automaticMaskText(false)).toMatch(/finds the person in a photo/);
    expect(automaticMaskText(false)).not.toMatch(
      /^No mask file: the picture's transparency is used/,
    );
    expect(automaticMaskText(true)).toMatch(/Your mask file/);
    // A JPEG has no transparency: the text says so instead of promising it.
    for (const jpeg of ['assets/skier.jpg', 'assets/PHOTO.JPEG'])
      expect(automaticMaskText(false, jpeg)).toMatch(/^A JPEG has no transparency/);
    expect(automaticMaskText(false, 'assets/hero.png')).toMatch(/uses the transparency/);
  });
});
