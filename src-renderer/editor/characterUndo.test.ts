import { describe, expect, it } from 'vitest';
import { Joint } from '#shared/pose/skeleton';
import type { CharacterState } from '#shared/api/characterState';
import { createTrackPose } from '#shared/editor/trackPose';
import { standingPerson } from '#shared/editor/samplePose';
import type { PoseTrack } from '#shared/pose/types';
import { createEditorStore, type CharacterPort } from './editorStore';

/** One undo history for the track and the character: what the Character view and K rely on. */
const state = (picture: string, x: number): CharacterState => {
  const pose = new Array<number>(408).fill(0);
  pose.splice(Joint.neck * 3, 3, x, 100, 1);
  return { picture, mask: null, pose };
};

function setUp(track: PoseTrack = { width: 512, height: 512, people: [] }) {
  const restored: CharacterState[] = [];
  let fail = false;
  const port: CharacterPort = {
    restore: (s) => {
      if (fail) return Promise.reject(new Error('the earlier picture is gone'));
      restored.push(s);
      return Promise.resolve();
    },
  };
  const store = createEditorStore({
    track,
    evaluate: createTrackPose(),
    ahistoric: { frameCount: 100 },
    character: port,
  });
  return { store, restored, failNext: () => (fail = true) };
}
const settle = () => new Promise((r) => setTimeout(r, 0));
const keys = (t: PoseTrack) => t.people.flatMap((p) => p.keyframes.map((k) => k.frame));

describe('character steps in the editor history', () => {
  it('a detection seeds an empty track as its first key, and one undo takes back both', async () => {
    const { store, restored } = setUp();
    const seed = standingPerson(256, 100);
    store
      .getState()
      .recordCharacterChange(
        'Detect pose',
        { before: state('a.png', 1), after: state('a.png', 2) },
        seed,
      );
    expect(keys(store.getState().track)).toEqual([0]);
    expect(store.getState().track.people[0]!.keyframes[0]!.points).toEqual(seed);
    store.getState().undo();
    await settle();
    expect(store.getState().track.people).toEqual([]);
    expect(restored).toEqual([state('a.png', 1)]);
    store.getState().redo();
    await settle();
    expect(keys(store.getState().track)).toEqual([0]);
    expect(restored.at(-1)).toEqual(state('a.png', 2));
  });

  it("never seeds over the user's keys", () => {
    const { store } = setUp();
    store.getState().keyCurrentFrame(); // nothing to key yet
    store.getState().setCharacterPose(standingPerson(200, 100));
    store.getState().setFrame(10);
    store.getState().keyCurrentFrame();
    const before = store.getState().track;
    store
      .getState()
      .recordCharacterChange(
        'Detect pose',
        { before: state('a.png', 1), after: state('a.png', 2) },
        standingPerson(300, 100),
      );
    expect(store.getState().track).toBe(before);
    expect(store.getState().history.past.map((e) => e.label)).toEqual([
      'Key the character’s pose at 10',
      'Detect pose',
    ]);
  });

  it('undoes a Character-view change and an Editor key edit in order (one history)', async () => {
    const { store, restored } = setUp();
    store.getState().setCharacterPose(standingPerson(256, 100));
    store.getState().keyCurrentFrame();
    store.getState().recordCharacterChange('Replace picture', {
      before: state('old.png', 5),
      after: state('new.png', 5),
    });
    const s = store.getState();
    s.beginGesture('joint', 0, Joint.rWrist);
    s.dragJointTo(0, Joint.rWrist, 10, 20);
    s.endGesture();
    const dragged = store.getState().track;
    store.getState().undo(); // the key edit
    await settle();
    expect(store.getState().track).not.toBe(dragged);
    expect(restored).toEqual([]);
    store.getState().undo(); // the picture
    await settle();
    expect(restored).toEqual([state('old.png', 5)]);
    expect(keys(store.getState().track)).toEqual([0]);
    expect(store.getState().status).toBe('Undo: Replace picture');
  });

  it('walks the step back when the API cannot put the character back', async () => {
    const { store, failNext } = setUp();
    store.getState().recordCharacterChange('Replace picture', {
      before: state('old.png', 5),
      after: state('new.png', 5),
    });
    failNext();
    store.getState().undo();
    await settle();
    expect(store.getState().canUndo()).toBe(true);
    expect(store.getState().canRedo()).toBe(false);
    expect(store.getState().status).toMatch(/Could not undo Replace picture: the earlier picture/);
  });
});

describe('saving after a character step', () => {
  it('waits until the character restore has been answered (project.json is written whole)', async () => {
    let answer!: () => void;
    const store = createEditorStore({
      track: { width: 512, height: 512, people: [] },
      evaluate: createTrackPose(),
      character: { restore: () => new Promise<void>((r) => (answer = r)) },
    });
    store.getState().recordCharacterChange('Detect pose', {
      before: state('a.png', 1),
      after: state('a.png', 2),
    });
    store.getState().undo();
    let settled = false;
    void store
      .getState()
      .characterSettled()
      .then(() => (settled = true));
    await settle();
    expect(settled).toBe(false);
    answer();
    await settle();
    expect(settled).toBe(true);
  });
});

describe('K on an empty track', () => {
  it("keys the character's pose at the playhead instead of doing nothing", () => {
    const { store } = setUp({ width: 512, height: 512, people: [{ personId: 3, keyframes: [] }] });
    store.getState().setCharacterPose(standingPerson(256, 100));
    store.getState().setFrame(24);
    store.getState().keyCurrentFrame();
    expect(store.getState().track.people[0]!.keyframes.map((k) => k.frame)).toEqual([24]);
    store.getState().undo();
    expect(keys(store.getState().track)).toEqual([]);
  });

  it('says what to do when there is no pose to key', () => {
    const { store } = setUp();
    store.getState().keyCurrentFrame();
    expect(store.getState().history.past).toEqual([]);
    expect(store.getState().status).toMatch(/detect the character’s pose.*or import a motion/);
  });
});
