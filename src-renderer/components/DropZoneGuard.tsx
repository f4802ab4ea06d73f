import { useEffect } from 'react';
import { useStudio } from '../state/store';

/**
 * Files dropped outside a drop zone are ignored: without this, the browser (and Electron's
 * window) opens a dropped picture or video in place of the studio, losing unsaved work. Drop
 * zones handle their own drops first and stop them; what reaches the window gets a "no drop"
 * cursor while dragging and one line saying where such files go.
 */
export function useDropGuard(): void {
  useEffect(() => {
    const over = (e: DragEvent) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      // A zone under the pointer already took it (and chose the "copy" cursor).
      const taken = e.defaultPrevented;
      e.preventDefault();
      if (!taken) e.dataTransfer.dropEffect = 'none';
    };
    const drop = (e: DragEvent) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
      const name = e.dataTransfer.files[0]?.name;
      if (name)
        useStudio
          .getState()
          .showInfo(
            `${name} was not imported: nothing here takes files`,
            'Drop pictures on the Character view, and pose files or videos on the Editor.',
          );
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, []);
}
