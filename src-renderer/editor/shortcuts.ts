import type { EditorStore } from './editorStore';

/**
 * The editor's keyboard map: which action a key press asks for. Pure, so the map is tested
 * without a DOM; `useEditorShortcuts` listens to the window and runs the action on the store.
 */
export type EditorShortcut =
  | 'undo'
  | 'redo'
  | 'copy'
  | 'paste'
  | 'play'
  | 'key'
  | 'delete'
  | 'back'
  | 'back10'
  | 'forward'
  | 'forward10'
  | 'deselect';

/** The parts of a KeyboardEvent the map reads. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey?: boolean;
}

/**
 * Ctrl (Cmd on macOS) +Z undo, +Shift+Z or +Y redo, +C / +V copy/paste keyframes; Space play,
 * K key every person, Del/Backspace delete keys, ←/→ step (Shift: 10 frames), Esc deselect.
 * Other Ctrl/Cmd combinations (Ctrl+S, Ctrl+R…) stay with the browser or the desktop menu.
 */
export function shortcutFor(e: KeyPress): EditorShortcut | null {
  // Chrome fires keydown without a key when a field is autofilled.
  if (typeof e.key !== 'string') return null;
  const key = e.key.toLowerCase();
  if (e.ctrlKey || e.metaKey) {
    if (key === 'z') return e.shiftKey ? 'redo' : 'undo';
    if (key === 'y') return 'redo';
    if (key === 'c') return 'copy';
    if (key === 'v') return 'paste';
    return null;
  }
  if (e.key === ' ') return 'play';
  if (key === 'k') return 'key';
  if (e.key === 'Delete' || e.key === 'Backspace') return 'delete';
  if (e.key === 'ArrowLeft') return e.shiftKey ? 'back10' : 'back';
  if (e.key === 'ArrowRight') return e.shiftKey ? 'forward10' : 'forward';
  if (e.key === 'Escape') return 'deselect';
  return null;
}

/** Runs a shortcut's action on the editor store. */
export function runShortcut(store: EditorStore, action: EditorShortcut): void {
  const s = store.getState();
  const frame = s.ahistoric.frame;
  const actions: Record<EditorShortcut, () => void> = {
    undo: () => s.undo(),
    redo: () => s.redo(),
    copy: () => s.copySelectedKeyframes(),
    paste: () => s.paste(),
    play: () => s.togglePlay(),
    key: () => s.keyCurrentFrame(),
    delete: () => s.deleteSelectedKeyframes(),
    back: () => s.setFrame(frame - 1),
    back10: () => s.setFrame(frame - 10),
    forward: () => s.setFrame(frame + 1),
    forward10: () => s.setFrame(frame + 10),
    deselect: () => s.setEphemeral({ selectedPoints: [], selectedKeyframes: [] }),
  };
  actions[action]();
}
