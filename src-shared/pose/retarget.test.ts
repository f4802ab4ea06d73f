import { describe, expect, it } from 'vitest';
import { retargetPose, retargetScale, retargetSequence } from './retarget';
import { GOLDEN_CASES } from './raster/golden/goldenCases';
import { BODY_LIMBS, FACE, Joint, LEFT_HAND, POINT_COUNT } from './skeleton';
import { STRIDE } from './types';

const X = (p: Float64Array, i: number) => p[i * STRIDE]!;
const Y = (p: Float64Array, i: number) => p[i * STRIDE + 1]!;
const C = (p: Float64Array, i: number) => p[i * STRIDE + 2]!;
const len = (p: Float64Array, i: number, j: number) =>
  Math.hypot(X(p, i) - X(p, j), Y(p, i) - Y(p, j));
const angle = (p: Float64Array, i: number, j: number) =>
  Math.atan2(Y(p, j) - Y(p, i), X(p, j) - X(p, i));

/** The real editor pose (upper body + both hands) with synthetic legs and a face around the nose. */
function base(): Float64Array {
  const p = Float64Array.from(GOLDEN_CASES[1]!.people[0]!);
  const legs: [number, number, number][] = [
    [Joint.rHip, 320, 470],
    [Joint.rKnee, 300, 600],
    [Joint.rAnkle, 310, 720],
    [Joint.lHip, 414, 470],
    [Joint.lKnee, 440, 600],
    [Joint.lAnkle, 430, 720],
  ];
  for (const [i, x, y] of legs) p.set([x, y, 1], i * STRIDE);
  for (let k = 0; k < 70; k++)
    p.set([X(p, 0) + 12 * Math.cos(k), Y(p, 0) + 12 * Math.sin(k), 1], (FACE.start + k) * STRIDE);
  return p;
}

/** A differently proportioned character: legs 1.3× longer, everything else 0.8×, moved. */
function character(): Float64Array {
  const p = base();
  const c = new Float64Array(p);
  const legs = new Set<number>([Joint.rKnee, Joint.rAnkle, Joint.lKnee, Joint.lAnkle]);
  // rebuild body by FK with scaled bone lengths
  const order = [1, 0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
  const parent: Record<number, number> = { 0: 1, 2: 1, 3: 2, 4: 3, 5: 1, 6: 5, 7: 6, 8: 1, 9: 8, 10: 9, 11: 1, 12: 11, 13: 12, 14: 0, 15: 0, 16: 14, 17: 15 }; // prettier-ignore
  c[1 * STRIDE] = 200;
  c[1 * STRIDE + 1] = 150;
  for (const i of order.slice(1)) {
    const q = parent[i]!;
    const k = legs.has(i) ? 1.3 : 0.8;
    c[i * STRIDE] = c[q * STRIDE]! + (X(p, i) - X(p, q)) * k;
    c[i * STRIDE + 1] = c[q * STRIDE + 1]! + (Y(p, i) - Y(p, q)) * k;
  }
  return c;
}

describe('retargetPose', () => {
  it('keeps driving bone directions and takes the character’s bone lengths', () => {
    const driving = base();
    // move the driving arm: rotate the right forearm
    driving[Joint.rWrist * STRIDE] = X(driving, Joint.rElbow) + 60;
    driving[Joint.rWrist * STRIDE + 1] = Y(driving, Joint.rElbow) - 30;
    const ch = character();
    const out = retargetPose(driving, ch, { drivingReference: base() });
    for (const [a, b] of BODY_LIMBS) {
      expect(len(out, a, b)).toBeCloseTo(len(ch, a, b), 9);
      expect(angle(out, a, b)).toBeCloseTo(angle(driving, a, b), 9);
    }
  });

  it('places the root at the character and scales root motion by the torso ratio', () => {
    const ref = base();
    const ch = character();
    const s = retargetScale(ref, ch);
    expect(s).toBeCloseTo(0.8, 9); // torso (neck → hips) was scaled by 0.8
    const moved = new Float64Array(ref);
    for (let i = 0; i < POINT_COUNT; i++) if (C(ref, i) > 0) moved[i * STRIDE] = X(ref, i) + 50;
    const seq = retargetSequence([ref, moved], ch);
    expect(X(seq[0]!, Joint.neck)).toBeCloseTo(200, 9);
    expect(Y(seq[0]!, Joint.neck)).toBeCloseTo(150, 9);
    expect(X(seq[1]!, Joint.neck)).toBeCloseTo(200 + 50 * 0.8, 9);
  });

  it('moves hands and face rigidly, scaled, with their anchors', () => {
    const ref = base();
    const ch = character();
    const out = retargetPose(ref, ch);
    const s = retargetScale(ref, ch);
    for (const [start, anchor] of [
      [LEFT_HAND.start, Joint.lWrist],
      [FACE.start, Joint.nose],
    ] as const)
      for (let k = 0; k < 21; k++) {
        const i = start + k;
        expect(X(out, i) - X(out, anchor)).toBeCloseTo(s * (X(ref, i) - X(ref, anchor)), 9);
        expect(Y(out, i) - Y(out, anchor)).toBeCloseTo(s * (Y(ref, i) - Y(ref, anchor)), 9);
      }
  });

  it('leaves points missing in the driving pose missing', () => {
    const driving = base();
    driving[Joint.rElbow * STRIDE + 2] = 0;
    const out = retargetPose(driving, character());
    expect(C(out, Joint.rElbow)).toBe(0);
    expect(C(out, Joint.rWrist)).toBe(1); // hangs from the shoulder instead
    expect(C(out, 30)).toBe(1);
    expect(() => retargetPose(new Float64Array(3), character())).toThrow(/driving/);
  });
});
