import { describe, expect, it } from 'vitest';
import { Joint, LEFT_HAND, POINT_COUNT, RIGHT_HAND } from '#shared/pose/skeleton';
import { selectionPivot, transformPoints, pointsInRect } from './groupTransform';
import { pointXY } from './kinematics';
import { copySide, mirrorPose } from './mirror';
import { standingPerson } from './samplePose';

describe('mirror', () => {
  it('mirroring twice gives the pose back exactly and swaps left and right', () => {
    const p = standingPerson();
    const m = mirrorPose(p, 200);
    const [lx] = pointXY(p, Joint.lWrist);
    expect(pointXY(m, Joint.rWrist)[0]).toBeCloseTo(400 - lx, 9);
    expect(pointXY(m, RIGHT_HAND.start + 5)[0]).toBeCloseTo(
      400 - pointXY(p, LEFT_HAND.start + 5)[0],
      9,
    );
    const back = mirrorPose(m, 200);
    for (let i = 0; i < p.length; i++) expect(back[i]).toBeCloseTo(p[i]!, 9);
  });

  it('copySide makes the right arm the reflection of the left one', () => {
    const p = standingPerson();
    p[Joint.lWrist * 3] = 320;
    const s = copySide(p, 'left');
    const axis = pointXY(p, Joint.neck)[0];
    expect(pointXY(s, Joint.rWrist)[0]).toBeCloseTo(2 * axis - 320, 9);
    expect(pointXY(s, Joint.lWrist)[0]).toBe(320);
  });
});

describe('group transform', () => {
  it('scales and rotates a selection about its pivot; unselected points stay', () => {
    const p = standingPerson();
    const sel = [Joint.lShoulder, Joint.lElbow, Joint.lWrist];
    const pivot = selectionPivot(p, sel)!;
    const out = transformPoints(p, sel, { pivot, scale: 2, angle: Math.PI / 2 });
    const d = (q: Float64Array, a: number, b: number) =>
      Math.hypot(q[a * 3]! - q[b * 3]!, q[a * 3 + 1]! - q[b * 3 + 1]!);
    expect(d(out, Joint.lShoulder, Joint.lWrist)).toBeCloseTo(
      2 * d(p, Joint.lShoulder, Joint.lWrist),
      9,
    );
    expect(pointXY(out, Joint.rWrist)).toEqual(pointXY(p, Joint.rWrist));
    const inv = transformPoints(out, sel, { pivot, scale: 0.5, angle: -Math.PI / 2 });
    for (const i of sel) {
      expect(inv[i * 3]).toBeCloseTo(p[i * 3]!, 9);
      expect(inv[i * 3 + 1]).toBeCloseTo(p[i * 3 + 1]!, 9);
    }
  });

  it('marquee picks the present points inside the rectangle', () => {
    const p = standingPerson();
    const all = pointsInRect(p, { x: 0, y: 0, width: 1000, height: 1000 });
    expect(all).toHaveLength(POINT_COUNT);
    const [x, y] = pointXY(p, Joint.lWrist);
    const some = pointsInRect(p, { x: x + 0.5, y: y + 0.5, width: -1, height: -1 });
    expect(some).toContain(Joint.lWrist);
  });
});
