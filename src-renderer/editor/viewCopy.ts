import { parseAhistoric } from '#shared/editor/ahistoricSchema';
import type { AhistoricState } from '#shared/editor/editorState';

/** View settings that belong to the person, not to the project's timing. */
export type PersistedView = Omit<AhistoricState, 'fps' | 'frameCount'>;

/** What is stored: the view without the project's fps and frame count. */
export function viewToStore(view: AhistoricState): string {
  const { fps: _fps, frameCount: _n, ...rest } = view;
  const persisted: PersistedView = rest;
  return JSON.stringify(persisted);
}

/**
 * The view to open with from a stored copy (null when there is none). An unreadable copy or a
 * bad field falls back to the defaults; the project's fps and frame count always win, and the
 * playhead stays on the track.
 */
export function restoreView(
  stored: string | null,
  project: { fps: number; frameCount: number },
): AhistoricState | null {
  if (stored === null) return null;
  let value: unknown = null;
  try {
    value = JSON.parse(stored);
  } catch {
    // unreadable copy: keep the defaults
  }
  const restored = parseAhistoric(value);
  const { fps, frameCount } = project;
  return { ...restored, fps, frameCount, frame: Math.min(restored.frame, frameCount - 1) };
}
