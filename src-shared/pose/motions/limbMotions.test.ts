import { describe, expect, it } from 'vitest';
import { Joint } from '../skeleton';
import { emptyPoints, setPoint } from '../types';
import { armsRaised, walkCycle } from './limbMotions';

/** A front-facing person: right arm on the picture's left hanging down-left, left arm mirrored. */
function person(): Float64Array {
  const p = emptyPoints();
  setPoint(p, Joint.nose, 100, 40);
  setPoint(p, Joint.neck, 100, 80);
  setPoint(p, Joint.rShoulder, 80, 80);
  setPoint(p, Joint.rElbow, 60, 120);
  setPoint(p, Joint.rWrist, 50, 160);
  setPoint(p, Joint.lShoulder, 120, 80);
  setPoint(p, Joint.lElbow, 140, 120);
  setPoint(p, Joint.lWrist, 150, 160);
  setPoint(p, Joint.rHip, 90, 180);
  setPoint(p, Joint.rKnee, 88, 240);
  setPoint(p, Joint.rAnkle, 86, 300);
  setPoint(p, Joint.lHip, 110, 180);
  setPoint(p, Joint.lKnee, 112, 240);
  setPoint(p, Joint.lAnkle, 114, 300);
  return p;
}
const at = (p: Float64Array, j: number) => [p[j * 3]!, p[j * 3 + 1]!] as const;
const dist = (a: readonly number[], b: readonly number[]) =>
  Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!);

describe('arms raised about the shoulders', () => {
  it('lifts both hands by the angle, mirror-symmetric, bones keep their lengths', () => {
    const ref = person();
    const up = armsRaised(ref, 60);
    expect(at(up, Joint.rWrist)[1]).toBeLessThan(at(ref, Joint.rWrist)[1] - 30);
    expect(at(up, Joint.lWrist)[1]).toBeCloseTo(at(up, Joint.rWrist)[1], 9);
    expect(at(up, Joint.rWrist)[0] - 100).toBeCloseTo(-(at(up, Joint.lWrist)[0] - 100), 9);
    expect(dist(at(up, Joint.rShoulder), at(up, Joint.rWrist))).toBeCloseTo(
      dist(at(ref, Joint.rShoulder), at(ref, Joint.rWrist)),
      9,
    );
    // The angle at the shoulder between the old and new wrist is 60°.
    const [sx, sy] = at(ref, Joint.rShoulder);
    const a0 = Math.atan2(at(ref, Joint.rWrist)[1] - sy, at(ref, Joint.rWrist)[0] - sx);
    const a1 = Math.atan2(at(up, Joint.rWrist)[1] - sy, at(up, Joint.rWrist)[0] - sx);
    expect(Math.abs(((a1 - a0 + 3 * Math.PI) % (2 * Math.PI)) - Math.PI)).toBeCloseTo(
      Math.PI / 3,
      9,
    );
    // Nothing else moves; lowering is the other way.
    for (const j of [Joint.nose, Joint.neck, Joint.rHip, Joint.lAnkle])
      expect(at(up, j)).toEqual(at(ref, j));
    // Negative degrees turn the other way: the right hand swings in towards (and past) the body.
    expect(at(armsRaised(ref, -60), Joint.rWrist)[0]).toBeGreaterThan(
      at(ref, Joint.rWrist)[0] + 30,
    );
  });
});

describe('walk cycle', () => {
  it('phase 0 is the reference; a quarter swings legs opposite, arms against them; periodic', () => {
    const ref = person();
    expect(Array.from(walkCycle(ref, 0))).toEqual(Array.from(ref));
    const q = walkCycle(ref, 0.25);
    const rFoot = at(q, Joint.rAnkle)[0] - at(ref, Joint.rAnkle)[0];
    const lFoot = at(q, Joint.lAnkle)[0] - at(ref, Joint.lAnkle)[0];
    expect(Math.sign(rFoot)).toBe(-Math.sign(lFoot));
    expect(Math.abs(rFoot)).toBeGreaterThan(20);
    const rHand = at(q, Joint.rWrist)[0] - at(ref, Joint.rWrist)[0];
    expect(Math.sign(rHand)).toBe(-Math.sign(rFoot));
    expect(dist(at(q, Joint.rHip), at(q, Joint.rKnee))).toBeCloseTo(
      dist(at(ref, Joint.rHip), at(ref, Joint.rKnee)),
      9,
    );
    const again = walkCycle(ref, 1.25);
    for (let i = 0; i < q.length; i++) expect(again[i]).toBeCloseTo(q[i]!, 9);
    expect(at(q, Joint.neck)).toEqual(at(ref, Joint.neck));
  });
});
