import { describe, expect, it } from 'vitest';
import { POINT_COUNT } from '#shared/pose/skeleton';
import { DEFAULT_AHISTORIC } from './editorState';
import {
  drawnJoints,
  jointAnnouncement,
  jointKeyAction,
  spokenJointName,
  stepJoint,
} from './jointKeys';

const press = (
  key: string,
  mods: Partial<{ shiftKey: boolean; ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {},
) => ({
  key,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  ...mods,
});

/** A person with every point placed at (10·i, 5·i), confidence 1, except those given as hidden/unplaced. */
function person(unplaced: number[] = [], hidden: number[] = []): Float64Array {
  const p = new Float64Array(POINT_COUNT * 3);
  for (let i = 0; i < POINT_COUNT; i++) {
    p[i * 3] = 10 * i;
    p[i * 3 + 1] = 5 * i;
    p[i * 3 + 2] = 1;
  }
  for (const i of unplaced) p.fill(0, i * 3, i * 3 + 3);
  for (const i of hidden) p[i * 3 + 2] = 0;
  return p;
}

describe('the pose canvas key map', () => {
  it('] and [ choose the next and previous joint', () => {
    expect(jointKeyAction(press(']'))).toEqual({ kind: 'next' });
    expect(jointKeyAction(press('['))).toEqual({ kind: 'previous' });
  });

  it('arrows move by 1 px, with Shift by 10 px, y down as on screen', () => {
    expect(jointKeyAction(press('ArrowLeft'))).toEqual({ kind: 'nudge', dx: -1, dy: 0 });
    expect(jointKeyAction(press('ArrowUp'))).toEqual({ kind: 'nudge', dx: 0, dy: -1 });
    expect(jointKeyAction(press('ArrowRight', { shiftKey: true }))).toEqual({
      kind: 'nudge',
      dx: 10,
      dy: 0,
    });
    expect(jointKeyAction(press('ArrowDown', { shiftKey: true }))).toEqual({
      kind: 'nudge',
      dx: 0,
      dy: 10,
    });
  });

  it('leaves Tab (focus must be able to leave), modified keys and junk alone', () => {
    for (const k of ['Tab', 'Enter', 'k', ' ', 'Escape', '', 'toString', '__proto__'])
      expect(jointKeyAction(press(k))).toBeNull();
    expect(jointKeyAction(press('ArrowLeft', { ctrlKey: true }))).toBeNull();
    expect(jointKeyAction(press(']', { metaKey: true }))).toBeNull();
    expect(jointKeyAction(press('ArrowUp', { altKey: true }))).toBeNull();
    expect(jointKeyAction({ ...press('x'), key: undefined as unknown as string })).toBeNull();
  });
});

describe('which joints ] walks through', () => {
  const parts = DEFAULT_AHISTORIC.parts;

  it('body first in COCO order, then feet, hands and face, person by person', () => {
    const order = drawnJoints(
      [
        { personId: 0, points: person() },
        { personId: 3, points: person() },
      ],
      parts,
    );
    expect(order).toHaveLength(2 * POINT_COUNT);
    expect(order.slice(0, 3)).toEqual([
      { personId: 0, index: 0 },
      { personId: 0, index: 1 },
      { personId: 0, index: 2 },
    ]);
    expect(order[18]).toEqual({ personId: 0, index: 18 }); // left big toe after the body
    expect(order[24]).toEqual({ personId: 0, index: 94 }); // then the left hand
    expect(order[66]).toEqual({ personId: 0, index: 24 }); // the face last
    expect(order[POINT_COUNT]).toEqual({ personId: 3, index: 0 });
  });

  it('skips unplaced points, hidden parts, people without a pose and non-numbers', () => {
    const p = person([3, 4], [7]);
    p[5 * 3] = Number.NaN;
    p[6 * 3 + 1] = Infinity;
    const order = drawnJoints(
      [
        { personId: 0, points: p },
        { personId: 1, points: undefined },
      ],
      { ...parts, face: false, hands: false, feet: false },
    );
    expect(order.map((r) => r.index)).toEqual([0, 1, 2, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
  });

  it('wraps around both ways and starts at an end when nothing (or something gone) is chosen', () => {
    const order = drawnJoints([{ personId: 0, points: person() }], {
      ...parts,
      face: false,
      hands: false,
      feet: false,
    });
    expect(stepJoint(order, undefined, 1)).toEqual({ personId: 0, index: 0 });
    expect(stepJoint(order, undefined, -1)).toEqual({ personId: 0, index: 17 });
    expect(stepJoint(order, { personId: 0, index: 17 }, 1)).toEqual({ personId: 0, index: 0 });
    expect(stepJoint(order, { personId: 0, index: 0 }, -1)).toEqual({ personId: 0, index: 17 });
    expect(stepJoint(order, { personId: 0, index: 4 }, 1)).toEqual({ personId: 0, index: 5 });
    expect(stepJoint(order, { personId: 0, index: 60 }, 1)).toEqual({ personId: 0, index: 0 });
    expect(stepJoint([], { personId: 0, index: 4 }, 1)).toBeUndefined();
  });
});

describe('what the canvas says', () => {
  it('names joints in words', () => {
    expect(spokenJointName(4)).toBe('right wrist');
    expect(spokenJointName(18)).toBe('left big toe');
    expect(spokenJointName(94)).toBe('left hand wrist');
    expect(spokenJointName(96)).toBe('left hand thumb 2');
    expect(spokenJointName(30)).toBe('face point 6');
    expect(spokenJointName(92)).toBe('right pupil');
    expect(spokenJointName(999)).toBe('point 999');
    expect(spokenJointName(-1)).toBe('point -1');
    expect(spokenJointName(Number.NaN)).toBe('point NaN');
  });

  it('says where the joint is, whether it is hidden, and whose it is', () => {
    const p = person([], [7]);
    p[4 * 3] = 312.4;
    p[4 * 3 + 1] = 139.6;
    expect(jointAnnouncement({ personId: 0, index: 4 }, p)).toBe('right wrist at 312, 140');
    expect(jointAnnouncement({ personId: 0, index: 7 }, p, 'Dancer')).toBe(
      'Dancer, left wrist (hidden) at 70, 35',
    );
    expect(jointAnnouncement({ personId: 0, index: 4 }, undefined)).toBe('right wrist');
    p[4 * 3] = 1e308 * 10;
    expect(jointAnnouncement({ personId: 0, index: 4 }, p)).toBe('right wrist');
  });
});
