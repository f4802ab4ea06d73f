import { describe, expect, it } from 'vitest';
import {
  jointsOutsideMask,
  missingJointsWarning,
  sizeWarnings,
  warningLine,
} from './characterWarnings';

describe('character warnings', () => {
  it('names the body joints the mask misses (a few pixels off the outline still count)', () => {
    const w = 20;
    const h = 20;
    const mask = new Uint8Array(w * h);
    for (let y = 0; y < 10; y++) for (let x = 0; x < 10; x++) mask[y * w + x] = 1;
    const pose = new Float64Array(408);
    pose.set([5, 5, 1], 0); // nose: inside
    pose.set([12, 5, 1], 3); // neck: 3 px right of the edge: inside
    pose.set([18, 18, 1], 4 * 3); // r_wrist: outside
    pose.set([19, 19, 0], 7 * 3); // l_wrist missing from the pose: not checked
    expect(jointsOutsideMask(mask, w, h, pose)).toEqual([4]);
    const [warning] = missingJointsWarning([4, 7]);
    expect(warning).toMatchObject({ code: 'joints-outside-mask', joints: [4, 7] });
    expect(warning!.message).toMatch(/r wrist, l wrist/);
    expect(warningLine(warning!)).toContain(warning!.fix);
    expect(missingJointsWarning([])).toEqual([]);
  });

  it('warns about tiny characters and characters that fill the picture', () => {
    expect(sizeWarnings(500, 100, 100).map((w) => w.code)).toEqual(['tiny-character']);
    expect(sizeWarnings(99 * 100, 100, 100).map((w) => w.code)).toEqual(['fills-picture']);
    expect(sizeWarnings(5000, 200, 200)).toEqual([]);
  });
});
