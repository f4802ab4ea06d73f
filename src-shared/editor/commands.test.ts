import { describe, expect, it } from 'vitest';
import { Joint } from '#shared/pose/skeleton';
import type { PoseTrack } from '#shared/pose/types';
import { applyCommand, CommandError, invertCommand, type Command } from './commands';
import { dragJoint } from './dragJoint';
import { createHistory, execute, redo, undo } from './history';
import { trackFromJson, trackToJson } from './trackJson';
import {
  addKeyframe,
  copyKeyframes,
  deleteKeyframes,
  moveKeyframes,
  pasteKeyframes,
  setEasing,
  setPoseAt,
} from './keyframeOps';
import { standingPerson, twoPeopleTrack } from './samplePose';

let n = 0;
const newId = () => `k${++n}`;
const json = (t: PoseTrack) => JSON.stringify(trackToJson(t));

function withKeys(): PoseTrack {
  let t = twoPeopleTrack();
  t = applyCommand(t, addKeyframe(t, 0, 10, standingPerson(100), newId)!);
  t = applyCommand(t, addKeyframe(t, 0, 20, standingPerson(120), newId)!);
  t = applyCommand(t, addKeyframe(t, 1, 15, standingPerson(300), newId)!);
  return t;
}

describe('commands invert exactly', () => {
  const t = withKeys();
  const k10 = t.people[0]!.keyframes[1]!;
  const k20 = t.people[0]!.keyframes[2]!;
  const cases: [string, Command][] = [
    ['add key', addKeyframe(t, 0, 5, standingPerson(90), newId)!],
    ['edit key', setPoseAt(t, 0, 10, standingPerson(50), newId)],
    ['key in between', setPoseAt(t, 0, 12, standingPerson(50), newId)],
    [
      'delete keys',
      deleteKeyframes(t, [
        { personId: 0, keyframeId: k10.id },
        { personId: 1, keyframeId: 'b0' },
      ])!,
    ],
    ['move keys onto another key', moveKeyframes(t, [{ personId: 0, keyframeId: k10.id }], 10)!],
    [
      'move two keys left',
      moveKeyframes(
        t,
        [
          { personId: 0, keyframeId: k10.id },
          { personId: 0, keyframeId: k20.id },
        ],
        -10,
      )!,
    ],
    [
      'set easing',
      setEasing(t, [{ personId: 0, keyframeId: k10.id }], {
        kind: 'bezier',
        x1: 0.4,
        y1: 0,
        x2: 0.2,
        y2: 1,
      })!,
    ],
    [
      'paste over keys',
      pasteKeyframes(
        t,
        copyKeyframes(t, [
          { personId: 0, keyframeId: k10.id },
          { personId: 0, keyframeId: k20.id },
        ]),
        0,
        newId,
      )!,
    ],
    ['remove person', { type: 'removePerson', person: t.people[1]!, index: 1 }],
  ];
  for (const [name, c] of cases)
    it(name, () => {
      const after = applyCommand(t, c);
      expect(json(after)).not.toBe(json(t));
      expect(json(applyCommand(after, invertCommand(c)))).toBe(json(t));
      // and the original track object was not mutated
      expect(json(t)).toBe(json(withKeysSnapshot));
    });
  const withKeysSnapshot = trackFromJson(JSON.parse(json(t)));
});

describe('keyframe operations', () => {
  it('moving keys clamps at frame 0 and replaces a key it lands on', () => {
    const t = withKeys();
    const k20 = t.people[0]!.keyframes[2]!;
    const moved = applyCommand(t, moveKeyframes(t, [{ personId: 0, keyframeId: k20.id }], -10)!);
    expect(moved.people[0]!.keyframes.map((k) => k.frame)).toEqual([0, 10]);
    expect(moved.people[0]!.keyframes[1]!.id).toBe(k20.id);
    const clamped = applyCommand(t, moveKeyframes(t, [{ personId: 0, keyframeId: k20.id }], -500)!);
    expect(clamped.people[0]!.keyframes.map((k) => k.frame)).toEqual([0, 10]);
  });

  it('paste keeps relative spacing from the playhead', () => {
    const t = withKeys();
    const [, a, b] = t.people[0]!.keyframes;
    const clip = copyKeyframes(t, [
      { personId: 0, keyframeId: a!.id },
      { personId: 0, keyframeId: b!.id },
    ]);
    const pasted = applyCommand(t, pasteKeyframes(t, clip, 100, newId)!);
    expect(pasted.people[0]!.keyframes.map((k) => k.frame)).toEqual([0, 10, 20, 100, 110]);
    expect(Array.from(pasted.people[0]!.keyframes[4]!.points)).toEqual(Array.from(b!.points));
  });

  it('K on an existing key does nothing; a new key inherits the easing of the split segment', () => {
    let t = withKeys();
    expect(addKeyframe(t, 0, 10, standingPerson(), newId)).toBeNull();
    const k10 = t.people[0]!.keyframes[1]!;
    t = applyCommand(t, setEasing(t, [{ personId: 0, keyframeId: k10.id }], { kind: 'hold' })!);
    t = applyCommand(t, setPoseAt(t, 0, 15, standingPerson(), newId));
    expect(t.people[0]!.keyframes.find((k) => k.frame === 15)!.easing).toEqual({ kind: 'hold' });
  });

  it('a command made for another state is refused, not half-applied', () => {
    const t = withKeys();
    const c = addKeyframe(t, 0, 5, standingPerson(), newId)!;
    const once = applyCommand(t, c);
    expect(() => applyCommand(once, c)).toThrow(CommandError);
    expect(() =>
      applyCommand(t, {
        type: 'setEasing',
        personId: 9,
        keyframeId: 'x',
        before: { kind: 'linear' },
        after: { kind: 'hold' },
      }),
    ).toThrow(/no person 9/);
  });
});

describe('history', () => {
  it('a drag of many moves is one undo step that restores the pose before the drag', () => {
    let track = withKeys();
    let history = createHistory();
    const original = json(track);
    let pose = track.people[0]!.keyframes[0]!.points;
    for (let i = 0; i < 50; i++) {
      pose = dragJoint(pose, Joint.lWrist, 260 + i, 150 - i, 'ik');
      ({ track, history } = execute(track, history, {
        label: 'Drag l_wrist',
        coalesceKey: 'drag-1',
        command: setPoseAt(track, 0, 0, pose, newId),
      }));
    }
    expect(history.past.length).toBe(1);
    const dragged = json(track);
    const u = undo(track, history)!;
    expect(json(u.track)).toBe(original);
    const r = redo(u.track, u.history)!;
    expect(json(r.track)).toBe(dragged);
  });

  it('a drag on a frame without a key creates one key, and undo removes it', () => {
    let track = withKeys();
    let history = createHistory();
    for (let i = 0; i < 5; i++)
      ({ track, history } = execute(track, history, {
        label: 'Drag',
        coalesceKey: 'drag-2',
        command: setPoseAt(track, 1, 40, standingPerson(400 + i), newId),
      }));
    expect(history.past).toHaveLength(1);
    expect(track.people[1]!.keyframes.map((k) => k.frame)).toEqual([0, 15, 40]);
    expect(track.people[1]!.keyframes[2]!.points[0]).toBe(standingPerson(404)[0]);
    const u = undo(track, history)!;
    expect(u.track.people[1]!.keyframes.map((k) => k.frame)).toEqual([0, 15]);
  });

  it('separate gestures are separate steps; a new edit clears redo; the limit drops the oldest', () => {
    let track = withKeys();
    let history = createHistory(3);
    for (let i = 0; i < 5; i++)
      ({ track, history } = execute(track, history, {
        label: `edit ${i}`,
        command: setPoseAt(track, 0, 0, standingPerson(10 * i), newId),
      }));
    expect(history.past.map((e) => e.label)).toEqual(['edit 2', 'edit 3', 'edit 4']);
    const u = undo(track, history)!;
    expect(u.history.future).toHaveLength(1);
    const e = execute(u.track, u.history, {
      label: 'other',
      command: setPoseAt(u.track, 0, 0, standingPerson(1), newId),
    });
    expect(e.history.future).toHaveLength(0);
    expect(undo(withKeys(), createHistory())).toBeNull();
  });
});

describe('track JSON (crash recovery copy)', () => {
  it('round-trips exactly and refuses damaged data with a reason', () => {
    const t = withKeys();
    const back = trackFromJson(JSON.parse(JSON.stringify(trackToJson(t))));
    expect(json(back)).toBe(json(t));
    const bad = trackToJson(t);
    bad.people[0]!.keyframes[1]!.frame = 0;
    expect(() => trackFromJson(bad)).toThrow(/people\.0\.keyframes.*sorted/);
    expect(() => trackFromJson({ width: 1 })).toThrow(/invalid pose track/);
  });
});
