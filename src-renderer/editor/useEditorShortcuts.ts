import { useEffect } from 'react';
import type { EditorStore } from './editorStore';
import { runShortcut, shortcutFor } from './shortcuts';

/**
 * True when the key press belongs to a text field or to an open dialog, not to the editor: Space
 * on a dialog's button presses it, arrows move between its radio buttons, Escape closes it.
 */
export function typing(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (!t) return false;
  if (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName)) return true;
  return typeof t.closest === 'function' && t.closest('[role="dialog"]') !== null;
}

/** Editor keyboard shortcuts on the window, outside text fields (the map: `shortcutFor`). */
export function useEditorShortcuts(store: EditorStore, enabled = true): void {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (typing(e)) return;
      const action = shortcutFor(e);
      if (!action) return;
      e.preventDefault();
      runShortcut(store, action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, enabled]);
}
