import Alert from '@mui/material/Alert';
import { useStore } from 'zustand';
import { trackIsEmpty } from '#shared/editor/seedTrack';
import type { EditorStore } from './editorStore';

/**
 * Says what to do when the track has no key yet, instead of an empty stage that ignores K: the
 * ways a motion starts (a detected pose, an imported motion, the character's pose keyed here).
 */
export function EmptyTrackHint({ store }: { store: EditorStore }) {
  const empty = useStore(store, (s) => trackIsEmpty(s.track));
  if (!empty) return null;
  return (
    <Alert
      severity="info"
      data-testid="empty-track"
      sx={{ position: 'absolute', top: 56, left: '50%', transform: 'translateX(-50%)', zIndex: 1 }}
    >
      The motion is empty: press <b>Detect pose</b> in the Character view, import a motion (drop a
      pose file or BVH clip here), or press <b>K</b> to key the character’s pose at the playhead.
    </Alert>
  );
}
