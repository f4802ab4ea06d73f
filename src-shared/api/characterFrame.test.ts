import { describe, expect, it } from 'vitest';
import { Joint, POINT_NAMES } from '#shared/pose/skeleton';
import { characterReferenceFrame } from './characterFrame';
import type { Character } from './model';

function character(joints: Character['joints'], w = 512, h = 512): Character {
  return {
    name: 'C',
    picture: 'assets/c.png',
    pictureWidth: w,
    pictureHeight: h,
    mask: null,
    joints,
  };
}
const joint = (index: number, x: number, y: number, confidence = 1) => ({
  index,
  name: POINT_NAMES[index] ?? '?',
  x,
  y,
  confidence,
});

describe("the character's reference pose for BVH retargeting", () => {
  it('is one person on the picture canvas with the placed joints', () => {
    const f = characterReferenceFrame(character([joint(Joint.neck, 10, 20)], 300, 400))!;
    expect([f.width, f.height]).toEqual([300, 400]);
    expect(f.people).toHaveLength(1);
    expect(Array.from(f.people[0]!.points.slice(3 * Joint.neck, 3 * Joint.neck + 3))).toEqual([
      10, 20, 1,
    ]);
    expect(f.people[0]!.points[3 * Joint.nose + 2]).toBe(0);
  });

  it('is null when there is nothing to retarget onto (no character, picture or joint)', () => {
    expect(characterReferenceFrame(null)).toBeNull();
    expect(characterReferenceFrame(character([]))).toBeNull();
    expect(characterReferenceFrame(character([joint(1, 5, 5)], 0, 0))).toBeNull();
  });

  it('skips joints a hostile or broken service could send', () => {
    const f = characterReferenceFrame(
      character([
        joint(Joint.neck, NaN, 1),
        joint(Joint.lHip, 1e308 * 10, 1),
        joint(999, 1, 1),
        joint(-1, 1, 1),
        joint(2.5, 1, 1),
        joint(Joint.rHip, 4, 5, 0),
        joint(Joint.nose, 7, 8, 5),
      ]),
    )!;
    const p = f.people[0]!.points;
    expect(p.every(Number.isFinite)).toBe(true);
    expect(p[3 * Joint.neck + 2]).toBe(0);
    expect(p[3 * Joint.lHip + 2]).toBe(0);
    expect(p[3 * Joint.rHip + 2]).toBe(0);
    expect(Array.from(p.slice(3 * Joint.nose, 3 * Joint.nose + 3))).toEqual([7, 8, 1]);
  });
});
