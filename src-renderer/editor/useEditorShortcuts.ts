import { useEffect } from 'react';
import type { EditorStore } from './editorStore';

/**
 * True when the key press belongs to a text field or to an open dialog, not to the editor: Space
 * on a dialog's button presses it, arrows move between its radio buttons, Escape closes it.
 */
function typing(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (!t) return false;
  if (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName)) return true;
  return typeof t.closest === 'function' && t.closest('[role="dialog"]') !== null;
}

/**
 * Editor keyboard shortcuts: Ctrl+Z / Ctrl+Shift+Z (and Ctrl+Y) undo/redo, Space play/pause,
 * K add keyframe, Del/Backspace delete keyframes, Ctrl+C / Ctrl+V copy/paste keyframes, ←/→ step.
 */
export function useEditorShortcuts(store: EditorStore, enabled = true): void {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (typing(e)) return;
      const s = store.getState();
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      let handled = true;
      if (mod && key === 'z' && e.shiftKey) s.redo();
      else if (mod && key === 'z') s.undo();
      else if (mod && key === 'y') s.redo();
      else if (mod && key === 'c') s.copySelectedKeyframes();
      else if (mod && key === 'v') s.paste();
      else if (mod) handled = false;
      else if (e.key === ' ') s.togglePlay();
      else if (key === 'k') s.keyCurrentFrame();
      else if (e.key === 'Delete' || e.key === 'Backspace') s.deleteSelectedKeyframes();
      else if (e.key === 'ArrowLeft') s.setFrame(s.ahistoric.frame - (e.shiftKey ? 10 : 1));
      else if (e.key === 'ArrowRight') s.setFrame(s.ahistoric.frame + (e.shiftKey ? 10 : 1));
      else if (e.key === 'Escape') s.setEphemeral({ selectedPoints: [], selectedKeyframes: [] });
      else handled = false;
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, enabled]);
}
