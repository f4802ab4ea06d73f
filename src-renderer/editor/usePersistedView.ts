import { useEffect } from 'react';
import { parseAhistoric } from '#shared/editor/ahistoricSchema';
import type { AhistoricState } from '#shared/editor/editorState';
import type { EditorStore } from './editorStore';
import type { KeyValueStorage } from './recovery';

const PREFIX = 'pose-studio.editor.view.';

/** View settings that belong to the person, not to the project's timing. */
type PersistedView = Omit<AhistoricState, 'fps' | 'frameCount'>;

/**
 * Persists the ahistoric state (playhead, drag mode, toggles, onion skin, zoom…) per project in
 * localStorage: restored when the editor opens, written when it changes (debounced, and at once
 * when the page is hidden or the editor closes). It is never
 * part of undo. The project's fps and frame count always win over a stored copy.
 */
export function usePersistedView(
  store: EditorStore,
  projectKey: string,
  storage: KeyValueStorage | undefined = typeof localStorage !== 'undefined'
    ? localStorage
    : undefined,
): void {
  useEffect(() => {
    if (!storage) return;
    const key = PREFIX + projectKey;
    const raw = storage.getItem(key);
    if (raw !== null) {
      let value: unknown = null;
      try {
        value = JSON.parse(raw);
      } catch {
        // unreadable copy: keep the defaults
      }
      const { fps, frameCount } = store.getState().ahistoric;
      const restored = parseAhistoric(value);
      store
        .getState()
        .setView({ ...restored, fps, frameCount, frame: Math.min(restored.frame, frameCount - 1) });
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const write = () => {
      const { fps: _fps, frameCount: _n, ...view } = store.getState().ahistoric;
      const persisted: PersistedView = view;
      try {
        storage.setItem(key, JSON.stringify(persisted));
      } catch {
        // storage full or disabled: the view is simply not remembered
      }
    };
    const unsub = store.subscribe((s, prev) => {
      if (s.ahistoric === prev.ahistoric) return;
      clearTimeout(timer);
      timer = setTimeout(flush, 500);
    });
    // A change still waiting for its debounced write is written when the page goes away or the
    // editor closes (as the autosave does for its recovery copy), not dropped.
    function flush(): void {
      if (timer === undefined) return;
      clearTimeout(timer);
      timer = undefined;
      write();
    }
    window.addEventListener('pagehide', flush);
    return () => {
      unsub();
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, [store, projectKey, storage]);
}
