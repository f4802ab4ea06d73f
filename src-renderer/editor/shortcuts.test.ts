import { describe, expect, it } from 'vitest';
import { twoPeopleTrack } from '#shared/editor/samplePose';
import { createTrackPose } from '#shared/editor/trackPose';
import { createEditorStore } from './editorStore';
import { runShortcut, shortcutFor, type KeyPress } from './shortcuts';

const press = (key: string, mods: Partial<Omit<KeyPress, 'key'>> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  ...mods,
});

describe('editor keyboard map', () => {
  it('maps the documented keys (Ctrl or Cmd alike)', () => {
    for (const mod of [{ ctrlKey: true }, { metaKey: true }]) {
      expect(shortcutFor(press('z', mod))).toBe('undo');
      expect(shortcutFor(press('Z', { ...mod, shiftKey: true }))).toBe('redo');
      expect(shortcutFor(press('y', mod))).toBe('redo');
      expect(shortcutFor(press('c', mod))).toBe('copy');
      expect(shortcutFor(press('v', mod))).toBe('paste');
    }
    expect(shortcutFor(press(' '))).toBe('play');
    expect(shortcutFor(press('k'))).toBe('key');
    expect(shortcutFor(press('K', { shiftKey: true }))).toBe('key'); // Caps Lock / Shift
    expect(shortcutFor(press('Delete'))).toBe('delete');
    expect(shortcutFor(press('Backspace'))).toBe('delete');
    expect(shortcutFor(press('ArrowLeft'))).toBe('back');
    expect(shortcutFor(press('ArrowLeft', { shiftKey: true }))).toBe('back10');
    expect(shortcutFor(press('ArrowRight'))).toBe('forward');
    expect(shortcutFor(press('ArrowRight', { shiftKey: true }))).toBe('forward10');
    expect(shortcutFor(press('Escape'))).toBe('deselect');
  });

  it('leaves other keys to the browser and the desktop menu', () => {
    expect(shortcutFor(press('s', { ctrlKey: true }))).toBeNull(); // save page
    expect(shortcutFor(press('r', { ctrlKey: true }))).toBeNull(); // the menu's render queue
    expect(shortcutFor(press('k', { ctrlKey: true }))).toBeNull(); // not "add keyframe"
    expect(shortcutFor(press(' ', { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(press('ArrowLeft', { metaKey: true }))).toBeNull(); // macOS: line start
    expect(shortcutFor(press('x'))).toBeNull();
    expect(shortcutFor(press('Enter'))).toBeNull();
    expect(shortcutFor(press(''))).toBeNull();
  });

  it('ignores a key event without a key (Chrome sends one when it autofills a field)', () => {
    const autofill = { ctrlKey: false, metaKey: false, shiftKey: false } as unknown as KeyPress;
    expect(() => shortcutFor(autofill)).not.toThrow();
    expect(shortcutFor(autofill)).toBeNull();
  });
});

describe('editor shortcuts on the store', () => {
  const store = () =>
    createEditorStore({
      track: twoPeopleTrack(),
      evaluate: createTrackPose(),
      ahistoric: { frameCount: 100 },
    });

  it('steps the playhead by 1 and 10 frames and stops at both ends', () => {
    const st = store();
    runShortcut(st, 'forward');
    expect(st.getState().ahistoric.frame).toBe(1);
    runShortcut(st, 'forward10');
    expect(st.getState().ahistoric.frame).toBe(11);
    runShortcut(st, 'back10');
    runShortcut(st, 'back10');
    expect(st.getState().ahistoric.frame).toBe(0);
    st.getState().setFrame(95);
    runShortcut(st, 'forward10');
    expect(st.getState().ahistoric.frame).toBe(99);
  });

  it('K keys every person; undo and redo walk it back and forth', () => {
    const st = store();
    st.getState().setFrame(30);
    runShortcut(st, 'key');
    const keyed = () => st.getState().track.people.map((p) => p.keyframes.map((k) => k.frame));
    expect(keyed()).toEqual([
      [0, 30],
      [0, 30],
    ]);
    runShortcut(st, 'undo');
    expect(keyed()).toEqual([[0], [0]]);
    runShortcut(st, 'redo');
    expect(keyed()).toEqual([
      [0, 30],
      [0, 30],
    ]);
    expect(st.getState().status).toBe('Redo: Add keyframe at 30');
  });

  it('copy, paste at the playhead, delete and Esc act on the selected keys', () => {
    const st = store();
    const first = st.getState().track.people[0]!.keyframes[0]!;
    st.getState().selectKeyframes([{ personId: 0, keyframeId: first.id }]);
    st.getState().selectPoints([{ personId: 1, index: 4 }]);
    runShortcut(st, 'copy');
    st.getState().setFrame(50);
    runShortcut(st, 'paste');
    expect(st.getState().track.people[0]!.keyframes.map((k) => k.frame)).toEqual([0, 50]);
    expect(st.getState().track.people[1]!.keyframes.map((k) => k.frame)).toEqual([0]);
    runShortcut(st, 'delete');
    expect(st.getState().track.people[0]!.keyframes.map((k) => k.frame)).toEqual([50]);
    expect(st.getState().ephemeral.selectedKeyframes).toEqual([]);
    runShortcut(st, 'deselect');
    expect(st.getState().ephemeral.selectedPoints).toEqual([]);
  });

  it('Space starts and stops playback', () => {
    const st = store();
    runShortcut(st, 'play');
    expect(st.getState().ephemeral.playing).toBe(true);
    runShortcut(st, 'play');
    expect(st.getState().ephemeral.playing).toBe(false);
  });
});
