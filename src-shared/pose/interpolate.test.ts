import { describe, expect, it } from 'vitest';
import { compileSegment, evaluateSegment, interpolatePoses } from './interpolate';
import { FACE, Joint, LEFT_HAND, POINT_COUNT } from './skeleton';
import { GOLDEN_CASES } from './raster/golden/goldenCases';
import { emptyPoints, setPoint, STRIDE } from './types';

const X = (p: Float64Array, i: number) => p[i * STRIDE]!;
const Y = (p: Float64Array, i: number) => p[i * STRIDE + 1]!;
const C = (p: Float64Array, i: number) => p[i * STRIDE + 2]!;
const dist = (p: Float64Array, i: number, j: number) =>
  Math.hypot(X(p, i) - X(p, j), Y(p, i) - Y(p, j));

/** An arm pointing along `angle` (radians) from a neck at (200, 200). */
function arm(angle: number, lengths = [50, 40, 30]): Float64Array {
  const p = emptyPoints();
  setPoint(p, Joint.neck, 200, 200);
  const chain = [Joint.rShoulder, Joint.rElbow, Joint.rWrist];
  let x = 200;
  let y = 200;
  chain.forEach((j, k) => {
    x += lengths[k]! * Math.cos(angle);
    y += lengths[k]! * Math.sin(angle);
    setPoint(p, j, x, y);
  });
  return p;
}

describe('FK interpolation', () => {
  it('keeps a limb rotating 180° within 0.5% of its length at every in-between frame', () => {
    const a = arm(0);
    const b = arm(Math.PI);
    const plan = compileSegment(a, b);
    const out = emptyPoints();
    for (let f = 1; f < 100; f++) {
      evaluateSegment(plan, f / 100, out);
      expect(Math.abs(dist(out, Joint.neck, Joint.rShoulder) - 50) / 50).toBeLessThan(0.005);
      expect(Math.abs(dist(out, Joint.rShoulder, Joint.rElbow) - 40) / 40).toBeLessThan(0.005);
      expect(Math.abs(dist(out, Joint.rElbow, Joint.rWrist) - 30) / 30).toBeLessThan(0.005);
    }
    // a linear blend of positions would have put the whole arm on the neck at u = 0.5
    evaluateSegment(plan, 0.5, out);
    expect(dist(out, Joint.neck, Joint.rWrist)).toBeCloseTo(120, 9);
  });

  it('turns along the shortest arc: 350° → 10° passes through 0°', () => {
    const deg = Math.PI / 180;
    const plan = compileSegment(arm(350 * deg), arm(10 * deg));
    const out = emptyPoints();
    evaluateSegment(plan, 0.5, out);
    expect(X(out, Joint.rShoulder)).toBeCloseTo(250, 9);
    expect(Y(out, Joint.rShoulder)).toBeCloseTo(200, 9);
    evaluateSegment(plan, 0.25, out);
    const angle = Math.atan2(Y(out, Joint.rShoulder) - 200, X(out, Joint.rShoulder) - 200) / deg;
    expect(angle).toBeCloseTo(-5, 9);
  });

  it('interpolates bone lengths and root translation linearly', () => {
    const a = arm(0, [50, 40, 30]);
    const b = arm(0, [70, 40, 10]);
    for (let i = 0; i < POINT_COUNT; i++) if (C(b, i) > 0) b[i * STRIDE] = X(b, i) + 30;
    const mid = interpolatePoses(a, b, 0.5);
    expect(X(mid, Joint.neck)).toBeCloseTo(215, 9);
    expect(dist(mid, Joint.neck, Joint.rShoulder)).toBeCloseTo(60, 9);
    expect(dist(mid, Joint.rElbow, Joint.rWrist)).toBeCloseTo(20, 9);
  });

  it('returns the keyframes exactly at u = 0 and u = 1', () => {
    const a = Float64Array.from(GOLDEN_CASES[0]!.people[0]!);
    const b = Float64Array.from(GOLDEN_CASES[3]!.people[0]!);
    expect(interpolatePoses(a, b, 0)).toEqual(a);
    expect(interpolatePoses(a, b, 1)).toEqual(b);
  });

  it('moves a hand as a rigid similarity about the wrist', () => {
    const a = emptyPoints();
    setPoint(a, Joint.neck, 100, 100);
    setPoint(a, Joint.lShoulder, 150, 100);
    setPoint(a, Joint.lElbow, 200, 100);
    setPoint(a, Joint.lWrist, 250, 100);
    for (let k = 0; k < 21; k++) setPoint(a, LEFT_HAND.start + k, 250 + 3 * k, 100 + (k % 5) * 4);
    // B: the hand turned 90° about the wrist (image y down: (dx, dy) → (−dy, dx))
    const b = new Float64Array(a);
    for (let k = 0; k < 21; k++) {
      const i = LEFT_HAND.start + k;
      const dx = X(a, i) - 250;
      const dy = Y(a, i) - 100;
      b[i * STRIDE] = 250 - dy;
      b[i * STRIDE + 1] = 100 + dx;
    }
    const plan = compileSegment(a, b);
    const out = emptyPoints();
    for (let f = 1; f < 20; f++) {
      evaluateSegment(plan, f / 20, out);
      for (let k = 1; k < 21; k++)
        expect(dist(out, LEFT_HAND.start + k, Joint.lWrist)).toBeCloseTo(
          dist(a, LEFT_HAND.start + k, Joint.lWrist),
          9,
        );
    }
    evaluateSegment(plan, 0.5, out);
    const i = LEFT_HAND.start + 20; // offset (60, 0) in A
    expect(X(out, i)).toBeCloseTo(250 + 60 * Math.SQRT1_2, 9);
    expect(Y(out, i)).toBeCloseTo(100 + 60 * Math.SQRT1_2, 9);
  });

  it('scales the face geometrically about the nose', () => {
    const a = emptyPoints();
    setPoint(a, Joint.neck, 100, 150);
    setPoint(a, Joint.nose, 100, 100);
    for (let k = 0; k < 70; k++)
      setPoint(a, FACE.start + k, 100 + Math.cos(k) * 10, 100 + Math.sin(k) * 10);
    const b = new Float64Array(a);
    for (let k = 0; k < 70; k++) {
      const i = FACE.start + k;
      b[i * STRIDE] = 100 + (X(a, i) - 100) * 4;
      b[i * STRIDE + 1] = 100 + (Y(a, i) - 100) * 4;
    }
    const mid = interpolatePoses(a, b, 0.5);
    expect(dist(mid, FACE.start + 5, Joint.nose)).toBeCloseTo(20, 9); // √4 × 10
  });

  it('carries a point present only in the start keyframe and shows it on the first half', () => {
    const a = arm(0);
    const b = arm(Math.PI / 2);
    b[Joint.rWrist * STRIDE + 2] = 0; // wrist missing in B
    a[Joint.lHip * STRIDE + 2] = 0; // missing in both
    b[Joint.lHip * STRIDE + 2] = 0;
    const plan = compileSegment(a, b);
    const out = emptyPoints();
    evaluateSegment(plan, 0.4, out);
    expect(C(out, Joint.rWrist)).toBe(1);
    // rides on the elbow: the forearm keeps A's 30 px and turns with the upper arm
    expect(dist(out, Joint.rElbow, Joint.rWrist)).toBeCloseTo(30, 9);
    const upper = Math.atan2(
      Y(out, Joint.rElbow) - Y(out, Joint.rShoulder),
      X(out, Joint.rElbow) - X(out, Joint.rShoulder),
    );
    const fore = Math.atan2(
      Y(out, Joint.rWrist) - Y(out, Joint.rElbow),
      X(out, Joint.rWrist) - X(out, Joint.rElbow),
    );
    expect(fore).toBeCloseTo(upper, 9);
    evaluateSegment(plan, 0.6, out);
    expect(C(out, Joint.rWrist)).toBe(0);
    for (const u of [0.2, 0.5, 0.8]) {
      evaluateSegment(plan, u, out);
      expect(C(out, Joint.lHip)).toBe(0);
    }
  });

  it('brings in a point present only in the end keyframe on the second half, landing on it', () => {
    const a = arm(0);
    const b = arm(Math.PI / 2);
    a[Joint.rElbow * STRIDE + 2] = 0; // elbow only in B; the wrist (in both) hangs from the shoulder
    const plan = compileSegment(a, b);
    const out = emptyPoints();
    evaluateSegment(plan, 0.3, out);
    expect(C(out, Joint.rElbow)).toBe(0);
    expect(C(out, Joint.rWrist)).toBe(1);
    expect(dist(out, Joint.rShoulder, Joint.rWrist)).toBeCloseTo(70, 9);
    evaluateSegment(plan, 0.999999, out);
    expect(C(out, Joint.rElbow)).toBe(1);
    expect(X(out, Joint.rElbow)).toBeCloseTo(X(b, Joint.rElbow), 3);
    expect(Y(out, Joint.rElbow)).toBeCloseTo(Y(b, Joint.rElbow), 3);
  });

  it('interpolates real poses between two fixtures without losing bone lengths', () => {
    const a = Float64Array.from(GOLDEN_CASES[1]!.people[0]!); // openpose-editor pose, 768×512
    // B: the same pose mirrored horizontally (every bone turns, none changes length)
    const b = new Float64Array(a);
    for (let i = 0; i < POINT_COUNT; i++) if (C(a, i) > 0) b[i * STRIDE] = 768 - X(a, i);
    const plan = compileSegment(a, b);
    const out = emptyPoints();
    for (let f = 1; f < 10; f++) {
      evaluateSegment(plan, f / 10, out);
      for (const [c, p] of [
        [Joint.rShoulder, Joint.neck],
        [Joint.rElbow, Joint.rShoulder],
        [Joint.lKnee, Joint.lHip],
      ] as const)
        expect(dist(out, c, p)).toBeCloseTo(dist(a, c, p), 9);
    }
  });
});
