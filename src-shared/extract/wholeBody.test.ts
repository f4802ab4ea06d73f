import { describe, expect, it } from 'vitest';
import { FACE, Joint, LEFT_HAND, RIGHT_HAND } from '#shared/pose/skeleton';
import { wholeBodyToPoints } from './wholeBody';

describe('wholeBodyToPoints (DWPose 133 → 136)', () => {
  it('maps body, feet, face and hands, computes the neck and pupils, drops points ≤ 0.3', () => {
    const xy = new Float64Array(266);
    const scores = new Float64Array(133).fill(0.9);
    for (let k = 0; k < 133; k++) {
      xy[k * 2] = k;
      xy[k * 2 + 1] = 1000 + k;
    }
    scores[9] = 0.3; // COCO-17 left wrist exactly at the threshold: missing (reference keeps > 0.3)
    const p = wholeBodyToPoints(xy, scores);
    expect([...p.slice(0, 3)]).toEqual([0, 1000, 0.9]); // nose
    // COCO-17 5 = left shoulder → our 5, 6 = right shoulder → our 2; neck = their midpoint.
    expect(p[Joint.lShoulder * 3]).toBe(5);
    expect(p[Joint.rShoulder * 3]).toBe(6);
    expect(p[Joint.neck * 3]).toBe(5.5);
    expect(p[Joint.lWrist * 3 + 2]).toBe(0);
    expect(p[Joint.lBigToe * 3]).toBe(17);
    expect(p[FACE.start * 3]).toBe(23);
    expect(p[(FACE.start + 68) * 3]).toBe(2); // right pupil from the right eye (COCO-17 2)
    expect(p[LEFT_HAND.start * 3]).toBe(91);
    expect(p[RIGHT_HAND.start * 3]).toBe(112);
  });

  it('refuses a wrong point count', () => {
    expect(() => wholeBodyToPoints(new Float64Array(34), new Float64Array(17))).toThrow(/133/);
  });
});
