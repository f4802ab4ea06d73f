import { describe, expect, it } from 'vitest';
import type { Keyframe, PoseTrack } from '#shared/pose/types';
import { standingPerson } from '#shared/editor/samplePose';
import { keyDragDelta, laneLabels, nearestTransition } from './timelineLanes';
import { LANE_H, PLAN_H, RULER_H, rowAt } from './timelineDraw';

const key = (id: string, frame: number): Keyframe => ({
  id,
  frame,
  points: standingPerson(),
  easing: { kind: 'linear' },
});
function track(...lanes: [number, number][][]): PoseTrack {
  return {
    width: 640,
    height: 480,
    people: lanes.map((keys, personId) => ({
      personId,
      keyframes: keys.map(([id, frame]) => key(`p${personId}k${id}`, frame)),
    })),
  };
}
const ref = (personId: number, id: number) => ({ personId, keyframeId: `p${personId}k${id}` });

describe('timeline lanes', () => {
  it('labels each person on one line; an empty or blank name becomes "Person N"', () => {
    const people: PoseTrack['people'] = [
      { personId: 0, name: 'Dancer', keyframes: [] },
      { personId: 1, name: '', keyframes: [] },
      { personId: 4, name: 'two\nlines', keyframes: [] },
      { personId: 2, name: '   ', keyframes: [] },
      { personId: 3, keyframes: [] },
    ];
    // one label per lane, in lane order: a dropped or split label would put names on the
    // wrong lanes and cut the plan lane off the canvas
    expect(laneLabels(people)).toEqual(['Dancer', 'Person 2', 'two lines', 'Person 3', 'Person 4']);
    expect(laneLabels([])).toEqual([]);
  });

  it('finds the row under the pointer: ruler, each person, the plan lane, below', () => {
    const t = track([[0, 0]], [[0, 0]]);
    expect(rowAt(0, t)).toEqual({ kind: 'ruler' });
    expect(rowAt(RULER_H - 0.1, t)).toEqual({ kind: 'ruler' });
    expect(rowAt(RULER_H, t)).toEqual({ kind: 'person', personId: 0 });
    expect(rowAt(RULER_H + LANE_H + 1, t)).toEqual({ kind: 'person', personId: 1 });
    expect(rowAt(RULER_H + 2 * LANE_H, t)).toEqual({ kind: 'plan' });
    expect(rowAt(RULER_H + 2 * LANE_H + PLAN_H, t)).toEqual({ kind: 'none' });
    expect(rowAt(RULER_H, track())).toEqual({ kind: 'plan' });
  });

  it('the transition nearest a frame: the closest boundary, the earlier on a tie', () => {
    const plan = [{ start: 48 }, { start: 0 }, { start: 24 }]; // any order
    expect(nearestTransition(plan, 0)).toBe(24);
    expect(nearestTransition(plan, 35)).toBe(24);
    expect(nearestTransition(plan, 36)).toBe(24);
    expect(nearestTransition(plan, 37)).toBe(48);
    expect(nearestTransition(plan, 1e9)).toBe(48);
    expect(nearestTransition([{ start: 0 }], 10)).toBeUndefined();
    expect(nearestTransition([], 10)).toBeUndefined();
  });
});

describe('dragging keys on the timeline', () => {
  const grab = (personId: number, id: number, startFrame: number) => ({
    ...ref(personId, id),
    startFrame,
    startX: 100,
  });

  it('moves by whole frames following the pointer from where the drag began', () => {
    const t = track([
      [0, 0],
      [1, 10],
    ]);
    const g = grab(0, 1, 10);
    expect(keyDragDelta(t, [ref(0, 1)], g, 100, 4)).toBe(0);
    expect(keyDragDelta(t, [ref(0, 1)], g, 121, 4)).toBe(5);
    expect(keyDragDelta(t, [ref(0, 1)], g, 89, 4)).toBe(-3); // 2.75 frames back: 3
    // mid-drag the key is already at 15: the next move is relative to where it is now
    const moved = track([
      [0, 0],
      [1, 15],
    ]);
    expect(keyDragDelta(moved, [ref(0, 1)], g, 121, 4)).toBe(0);
    expect(keyDragDelta(moved, [ref(0, 1)], g, 125, 4)).toBe(1);
  });

  it('never drops a selected key onto an unselected one, the grabbed key or any other', () => {
    const t = track([
      [0, 10],
      [1, 20],
      [2, 25],
    ]);
    // keys 10 and 20 selected, 25 not: dragging the key at 10 by +5 would put 20 onto 25
    expect(keyDragDelta(t, [ref(0, 0), ref(0, 1)], grab(0, 0, 10), 120, 4)).toBe(0);
    expect(keyDragDelta(t, [ref(0, 0), ref(0, 1)], grab(0, 0, 10), 116, 4)).toBe(4);
    // the grabbed key onto an unselected one
    expect(keyDragDelta(t, [ref(0, 1)], grab(0, 1, 20), 120, 4)).toBe(0);
    // onto a selected key that moves too: allowed
    expect(keyDragDelta(t, [ref(0, 1), ref(0, 2)], grab(0, 1, 20), 120, 4)).toBe(5);
  });

  it('checks each person in their own lane (same id in another lane is not a clash)', () => {
    const t = track(
      [
        [0, 10],
        [1, 20],
      ],
      [
        [0, 10],
        [1, 15],
      ],
    );
    // both lanes' keys at 10 selected; +5 would put person 1's key onto its unselected 15
    expect(keyDragDelta(t, [ref(0, 0), ref(1, 0)], grab(0, 0, 10), 120, 4)).toBe(0);
    expect(keyDragDelta(t, [ref(0, 0)], grab(0, 0, 10), 120, 4)).toBe(5);
  });

  it('stops at frame 0 and ignores a view without a usable scale', () => {
    const t = track([
      [0, 3],
      [1, 10],
    ]);
    expect(keyDragDelta(t, [ref(0, 0)], grab(0, 0, 3), 0, 4)).toBe(-3);
    expect(keyDragDelta(t, [ref(0, 0)], grab(0, 0, 3), 120, 0)).toBe(0);
    expect(keyDragDelta(t, [ref(0, 0)], grab(0, 0, 3), 100, 0)).toBe(0); // 0 / 0
    expect(keyDragDelta(t, [ref(0, 0)], grab(0, 0, 3), NaN, 4)).toBe(0);
    expect(keyDragDelta(t, [], grab(0, 0, 3), 120, 4)).toBe(0);
  });
});
