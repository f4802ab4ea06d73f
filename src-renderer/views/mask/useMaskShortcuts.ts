import { useEffect } from 'react';
import { useMaskEditor } from './maskEditorStore';

/** The mask editor's keys, shown in the tools' tooltips. */
export const MASK_KEYS = {
  add: 'B',
  erase: 'E',
  off: 'Esc',
  smaller: '[',
  larger: ']',
} as const;

/** Whether a key press belongs to a text field (the keys must not steal typing). */
function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return Boolean(
    el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)),
  );
}

/**
 * B brush (add), E eraser, Esc back to the skeleton; while a brush is chosen, [ and ] size it and
 * Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y) undo and redo mask edits (otherwise those keys stay the
 * view's own). Active while the Character view shows a mask.
 */
export function useMaskShortcuts(enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (typing(e.target)) return;
      const s = useMaskEditor.getState();
      if (!s.mask) return;
      const key = e.key.toLowerCase();
      const mod = e.ctrlKey || e.metaKey;
      if (mod && s.tool !== 'off' && (key === 'z' || key === 'y')) {
        e.preventDefault();
        if (key === 'y' || e.shiftKey) s.redo();
        else s.undo();
        return;
      }
      if (mod || e.altKey) return;
      if (key === 'b') s.setTool('add');
      else if (key === 'e') s.setTool('erase');
      else if (key === 'escape') s.setTool('off');
      // [ ] size the brush only while one is chosen: on the skeleton they step between joints.
      else if (key === '[' && s.tool !== 'off') s.setRadius(s.radius / 1.25);
      else if (key === ']' && s.tool !== 'off') s.setRadius(s.radius * 1.25 + 1);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
