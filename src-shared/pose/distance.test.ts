import { describe, expect, it } from 'vitest';
import { nearestReference, poseDistance } from './distance';
import { GOLDEN_CASES } from './raster/golden/goldenCases';
import { Joint, LEFT_HAND, POINT_COUNT } from './skeleton';
import { emptyPoints, setPoint, STRIDE } from './types';

function transformed(p: Float64Array, s: number, tx: number, ty: number): Float64Array {
  const q = new Float64Array(p);
  for (let i = 0; i < POINT_COUNT; i++) {
    q[i * STRIDE] = p[i * STRIDE]! * s + tx;
    q[i * STRIDE + 1] = p[i * STRIDE + 1]! * s + ty;
  }
  return q;
}

describe('poseDistance', () => {
  it('is the L2 norm over points present in both poses', () => {
    const a = emptyPoints();
    const b = emptyPoints();
    setPoint(a, Joint.neck, 0, 0);
    setPoint(b, Joint.neck, 3, 4); // 5 px
    setPoint(a, Joint.nose, 10, 10);
    setPoint(b, Joint.nose, 10, 22); // 12 px
    setPoint(a, Joint.rHip, 0, 0); // only in a: ignored
    setPoint(b, Joint.lHip, 500, 500); // only in b: ignored
    const d = poseDistance(a, b);
    expect(d.count).toBe(2);
    expect(d.l2).toBeCloseTo(13, 12); // sqrt(25 + 144)
    expect(d.rms).toBeCloseTo(13 / Math.SQRT2, 12);
    expect(poseDistance(a, emptyPoints())).toEqual({ l2: Infinity, rms: Infinity, count: 0 });
  });

  it('normalised by torso, ignores position and size', () => {
    const a = Float64Array.from(GOLDEN_CASES[0]!.people[0]!); // real pose with neck and hips
    const b = transformed(a, 0.5, 40, -20);
    expect(poseDistance(a, b).l2).toBeGreaterThan(100);
    expect(poseDistance(a, b, { normalize: true }).l2).toBeCloseTo(0, 9);
  });

  it('can be restricted to parts', () => {
    const a = emptyPoints();
    const b = emptyPoints();
    setPoint(a, Joint.neck, 0, 0);
    setPoint(b, Joint.neck, 100, 0);
    setPoint(a, LEFT_HAND.start, 5, 5);
    setPoint(b, LEFT_HAND.start, 5, 6);
    expect(poseDistance(a, b, { parts: ['leftHand'] })).toEqual({ l2: 1, rms: 1, count: 1 });
  });
});

describe('nearestReference', () => {
  it('picks the reference whose pose is closest', () => {
    const target = Float64Array.from(GOLDEN_CASES[1]!.people[0]!);
    const refs = [
      transformed(target, 1, 30, 0),
      transformed(target, 1, 2, 1),
      transformed(target, 1, -9, 4),
      emptyPoints(),
    ];
    const r = nearestReference(target, refs);
    expect(r.index).toBe(1);
    expect(r.distance).toBeCloseTo(Math.sqrt(5), 9);
    expect(r.distances[3]).toBe(Infinity);
    expect(nearestReference(target, [emptyPoints()]).index).toBe(-1);
  });
});
