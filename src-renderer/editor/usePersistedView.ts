import { useEffect } from 'react';
import type { EditorStore } from './editorStore';
import { browserStorage, type KeyValueStorage } from './recovery';
import { restoreView, viewToStore } from './viewCopy';

const PREFIX = 'pose-studio.editor.view.';

/**
 * Persists the ahistoric state (playhead, drag mode, toggles, onion skin, zoom…) per project in
 * localStorage: restored when the editor opens, written when it changes (debounced, and at once
 * when the page is hidden or the editor closes). It is never
 * part of undo. The project's fps and frame count always win over a stored copy.
 */
export function usePersistedView(
  store: EditorStore,
  projectKey: string,
  storage: KeyValueStorage | undefined = browserStorage(),
): void {
  useEffect(() => {
    if (!storage) return;
    const key = PREFIX + projectKey;
    const restored = restoreView(storage.getItem(key), store.getState().ahistoric);
    if (restored) store.getState().setView(restored);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const write = () => {
      try {
        storage.setItem(key, viewToStore(store.getState().ahistoric));
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
