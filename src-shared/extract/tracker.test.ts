import { describe, expect, it } from 'vitest';
import { Joint } from '#shared/pose/skeleton';
import { emptyPoints, setPoint } from '#shared/pose/types';
import { keypointBox, PersonTracker } from './tracker';

/** A stick person standing at x (shoulders, hips, ankles, nose). */
function person(x: number, y = 100): Float64Array {
  const p = emptyPoints();
  setPoint(p, Joint.nose, x, y);
  setPoint(p, Joint.neck, x, y + 20);
  setPoint(p, Joint.rShoulder, x - 15, y + 20);
  setPoint(p, Joint.lShoulder, x + 15, y + 20);
  setPoint(p, Joint.rHip, x - 10, y + 70);
  setPoint(p, Joint.lHip, x + 10, y + 70);
  setPoint(p, Joint.rAnkle, x - 10, y + 140);
  setPoint(p, Joint.lAnkle, x + 10, y + 140);
  return p;
}

describe('PersonTracker', () => {
  it('keeps ids when people move and the detector lists them in another order', () => {
    const t = new PersonTracker();
    const a = t.update([person(100), person(300)]);
    expect(a.map((p) => [p.id, p.points[0]])).toEqual([
      [0, 100],
      [1, 300],
    ]);
    const b = t.update([person(310), person(105)]);
    expect(b.map((p) => [p.id, p.points[0]])).toEqual([
      [0, 105],
      [1, 310],
    ]);
  });

  it('gives a newcomer a new id, keeps an id through a short gap and never reuses an ended one', () => {
    const t = new PersonTracker({ maxMissed: 2 });
    expect(t.update([person(100)]).map((p) => p.id)).toEqual([0]);
    expect(t.update([person(102), person(400)]).map((p) => p.id)).toEqual([0, 1]);
    // Person 0 missing for two frames, then back: same id.
    t.update([person(400)]);
    t.update([person(401)]);
    expect(t.update([person(104), person(402)]).map((p) => p.id)).toEqual([0, 1]);
    // Person 1 leaves for longer than maxMissed and comes back: a new id.
    for (let i = 0; i < 4; i++) t.update([person(104)]);
    expect(t.update([person(104), person(402)]).map((p) => p.id)).toEqual([0, 2]);
    expect(t.peopleSeen).toBe(3);
  });

  it('does not match a far-away detection to a track', () => {
    const t = new PersonTracker({ maxMissed: 5 });
    t.update([person(100)]);
    expect(t.update([person(600)]).map((p) => p.id)).toEqual([1]);
  });

  it('ignores detections without any point and handles empty frames', () => {
    const t = new PersonTracker();
    expect(t.update([emptyPoints()])).toEqual([]);
    expect(t.update([])).toEqual([]);
    expect(keypointBox(emptyPoints())).toBeNull();
  });
});
