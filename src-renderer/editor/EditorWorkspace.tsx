import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import type { ReactNode } from 'react';
import { droppedKind } from '#shared/api/droppedFiles';
import { useDropZone } from '../components/DropZone';
import type { PoseFrame, PoseTrack } from '#shared/pose/types';
import type { Size } from '#shared/geometry/pictureCanvas';
import type { EditorStore } from './editorStore';
import { EasingPanel } from './EasingPanel';
import { EmptyTrackHint } from './EmptyTrackHint';
import { ImportDialog, offerPoseFile } from './ImportDialog';
import { PoseEditor } from './PoseEditor';
import { recoveryBannerText } from './recovery';
import { Timeline } from './Timeline';
import { useAutosave } from './useAutosave';
import { useEditorShortcuts } from './useEditorShortcuts';
import { usePlayback } from './usePlayback';
import { usePersistedView } from './usePersistedView';

export interface EditorWorkspaceProps {
  store: EditorStore;
  /** Picture under the skeleton (URL: the character picture through the media route, or a frame). */
  picture?: string | null;
  /** Identifies the project for the crash-recovery copy of unsaved edits. */
  projectKey: string;
  /** Writes the track into the project; called after edits settle. Omit to keep recovery only. */
  save?: (track: PoseTrack) => Promise<void>;
  /** Render and play the frames around a segment boundary with the fast generator. */
  onPreviewTransition?: (boundaryFrame: number) => void;
  /** Drawn over the stage (the host's transition-preview player, its buttons). */
  overlay?: ReactNode;
  /** The character's reference pose: motion-capture imports are retargeted onto it. */
  character?: PoseFrame | null;
  /** A video dropped on the editor (the studio imports its motion); absent: videos are refused. */
  onVideoFile?: (file: File) => void;
  /** Size of the character picture: pose files without a canvas may be drawn on it. */
  pictureSize?: Size | null;
  /** Keyboard shortcuts are active (turn off while a dialog has focus). */
  shortcuts?: boolean;
}

/**
 * The whole editor as the shell mounts it: stage with its tools, timeline, easing panel,
 * shortcuts, playback and autosave/recovery — everything driven by one editor store.
 */
export function EditorWorkspace(props: EditorWorkspaceProps) {
  const { store } = props;
  useEditorShortcuts(store, props.shortcuts ?? true);
  usePlayback(store);
  usePersistedView(store, props.projectKey);
  const autosave = useAutosave(store, {
    projectKey: props.projectKey,
    ...(props.save ? { save: props.save } : {}),
  });
  const saveLabel = {
    saved: 'Saved',
    unsaved: 'Unsaved edits',
    saving: 'Saving…',
    error: 'Save failed',
  }[autosave.state];
  // Pose files open the import dialog; videos go to the studio's video import.
  const drop = useDropZone('motion', (f) => {
    if (droppedKind(f.name, f.type) !== 'video') void offerPoseFile(store, f);
    else if (props.onVideoFile) props.onVideoFile(f);
    else store.setState({ status: `${f.name}: videos are imported in the studio's Editor` });
  });

  return (
    <Box
      sx={{
        display: 'flex',
        flexDirection: 'column',
        height: '100%',
        minHeight: 0,
        bgcolor: 'background.default',
        position: 'relative',
      }}
      data-testid="editor-workspace"
      {...drop.handlers}
    >
      {drop.shown}
      <ImportDialog
        store={store}
        character={props.character ?? null}
        picture={props.pictureSize ?? null}
      />
      {autosave.recovered && (
        <Alert
          severity="warning"
          data-testid="recovery-banner"
          action={
            <>
              <Button color="inherit" onClick={autosave.restore}>
                Restore
              </Button>
              <Button color="inherit" onClick={autosave.discard}>
                Discard
              </Button>
            </>
          }
        >
          {recoveryBannerText(autosave.recovered)}
        </Alert>
      )}
      {autosave.recoveryError && (
        <Alert severity="error" onClose={autosave.discard}>
          Could not read the unsaved edits: {autosave.recoveryError}. Close this to discard them.
        </Alert>
      )}
      <Box sx={{ display: 'flex', flex: 1, minHeight: 0, position: 'relative' }}>
        <PoseEditor store={store} picture={props.picture ?? null} />
        <EmptyTrackHint store={store} />
        {props.overlay}
        <Chip
          size="small"
          label={autosave.error ? `${saveLabel}: ${autosave.error}` : saveLabel}
          color={
            autosave.state === 'error'
              ? 'error'
              : autosave.state === 'saved'
                ? 'default'
                : 'warning'
          }
          variant="outlined"
          sx={{ position: 'absolute', right: 12, bottom: 12, bgcolor: 'rgba(18,20,24,0.8)' }}
          data-testid="save-state"
        />
      </Box>
      {/* The timeline row keeps one height whatever the easing panel shows, so the stage above
          never jumps when a keyframe is selected. */}
      <Box
        sx={{ display: 'flex', height: 236, flexShrink: 0, borderTop: 1, borderColor: 'divider' }}
      >
        <Box sx={{ flex: 1, minWidth: 0, overflow: 'auto', bgcolor: 'background.paper' }}>
          <Timeline
            store={store}
            {...(props.onPreviewTransition
              ? { onPreviewTransition: props.onPreviewTransition }
              : {})}
          />
        </Box>
        <EasingPanel store={store} />
      </Box>
    </Box>
  );
}
