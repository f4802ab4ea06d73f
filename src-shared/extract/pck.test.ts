import { describe, expect, it } from 'vitest';
import { Joint } from '#shared/pose/skeleton';
import { emptyPoints, setPoint } from '#shared/pose/types';
import { PckTally } from './pck';

function truth(): Float64Array {
  const p = emptyPoints();
  setPoint(p, Joint.neck, 100, 100);
  setPoint(p, Joint.rHip, 90, 200);
  setPoint(p, Joint.lHip, 110, 200); // torso 100 px → threshold 10 px
  setPoint(p, Joint.nose, 100, 70);
  setPoint(p, Joint.rWrist, 50, 150);
  return p;
}

describe('PckTally', () => {
  it('counts points within 0.1 torso as correct and missing predictions as wrong', () => {
    const t = new PckTally();
    const pred = truth();
    pred[Joint.nose * 3] = 109; // 9 px off: correct
    pred[Joint.rWrist * 3] = 61; // 11 px off: wrong
    expect(t.add(pred, truth(), [Joint.nose, Joint.rWrist, Joint.lWrist])).toBe(true);
    t.add(null, truth(), [Joint.nose]);
    expect(t.over([Joint.nose])).toBe(0.5);
    expect(t.over([Joint.rWrist])).toBe(0);
    expect(Number.isNaN(t.over([Joint.lWrist]))).toBe(true); // no ground truth
    expect(t.report([Joint.nose])[0]).toEqual({ name: 'nose', pck: 0.5, total: 2 });
  });

  it('skips frames whose truth has no torso', () => {
    expect(new PckTally().add(truth(), emptyPoints(), [Joint.nose])).toBe(false);
  });
});
