import { describe, expect, it } from 'vitest';
import { shoulderNotchPixels } from './notch';

const N = 64;

/** A body below y = 32 and an arm along y 28–34 to the right of x = 32; the neck up from (28, 32). */
function shoulder(notch: boolean): Uint8Array {
  const m = new Uint8Array(N * N);
  for (let y = 0; y < N; y++)
    for (let x = 0; x < N; x++) {
      const body = y >= 32 && x >= 16 && x <= 40;
      const arm = y >= 28 && y <= 34 && x >= 32;
      const neck = x >= 24 && x <= 30 && y < 32;
      // A smooth shoulder top fills the corner between neck and arm; a notch leaves a wedge.
      // (a straight slope from the neck's top (30, 20) to the arm's top past the disc (46, 28)).
      const top = x > 30 && y < 28 && y >= 20 + ((x - 30) * 8) / 16 && !(notch && x - 30 < 28 - y);
      if (body || arm || neck || top) m[y * N + x] = 1;
    }
  return m;
}

describe('shoulderNotchPixels', () => {
  const measure = (m: Uint8Array) => shoulderNotchPixels(m, N, N, [32, 31], [48, 31], [27, 10], 12);
  it('is 0 on a shoulder whose top is filled between neck and arm', () => {
    expect(measure(shoulder(false))).toBe(0);
  });
  it('counts the wedge cut into the shoulder top', () => {
    expect(measure(shoulder(true))).toBeGreaterThan(10);
  });
  it('does not count the armpit (the other side of the arm)', () => {
    const m = shoulder(false);
    for (let y = 35; y < 45; y++) for (let x = 41; x < 50; x++) m[y * N + x] = 0;
    expect(measure(m)).toBe(0);
  });
});
