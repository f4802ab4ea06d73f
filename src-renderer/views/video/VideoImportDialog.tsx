import { useState } from 'react';
import { useStore } from 'zustand';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { toPoseTrack } from '#shared/project/convert';
import type { VideoImportStatus, VideoMotion } from '#shared/api/videoImport';
import { api } from '../../api/client';
import { useStudio } from '../../state/store';
import type { EditorStore } from '../../editor/editorStore';
import { PersonPicker } from './PersonPicker';
import { useVideoImport } from './useVideoImport';
import { extractingText, megabytes } from './videoText';

/**
 * Import of a driving video into the editor: upload, pose extraction with progress, ETA and
 * Cancel, the choice of person when several are found, then their motion (retargeted onto the
 * character, at the project's frame rate) replaces the track as one undoable step — after saying
 * how many keyframes it replaces — and the video's sound can become the render's audio.
 */
export function VideoImportDialog({
  file,
  store,
  onClose,
}: {
  file: File | null;
  store: EditorStore;
  onClose: () => void;
}) {
  const { state, choose, cancel } = useVideoImport(file);
  const keys = useStore(store, (s) => s.track.people.reduce((n, p) => n + p.keyframes.length, 0));
  const [keepSound, setKeepSound] = useState(true);
  const [applying, setApplying] = useState(false);
  const running = state?.step === 'uploading' || state?.step === 'extracting';
  const choosing = state?.step === 'choosing' ? state : null;

  const apply = async (status: VideoImportStatus, motion: VideoMotion) => {
    setApplying(true);
    try {
      store.getState().importTrack(toPoseTrack(motion.track), `Import video ${status.fileName}`);
      let sound = '';
      if (status.hasAudio && keepSound) {
        try {
          const { audio } = await api.call('video.keepAudio', { importId: status.importId });
          sound = `; its sound (${audio}) plays in the render`;
        } catch (e) {
          useStudio.getState().showError(e);
        }
      }
      store.setState({
        status: `Imported the motion of ${status.fileName}: ${motion.keyframes} keyframes${sound}`,
      });
      onClose();
    } finally {
      setApplying(false);
    }
  };

  return (
    <Dialog
      open={!!file}
      onClose={(_, reason) => {
        // A click outside must not throw away a long extraction: only the buttons close it.
        if (!running && reason !== 'backdropClick') onClose();
      }}
      maxWidth="md"
      fullWidth
      data-testid="video-import-dialog"
      aria-labelledby="video-import-title"
    >
      <DialogTitle id="video-import-title">Import the motion of {file?.name}</DialogTitle>
      <DialogContent>
        {state?.step === 'uploading' && (
          <Stack spacing={1} data-testid="video-uploading">
            <LinearProgress
              variant="determinate"
              value={(100 * state.sent) / Math.max(1, state.total)}
            />
            <Typography variant="body2">
              Sending the video: {megabytes(state.sent)} of {megabytes(state.total)}
            </Typography>
          </Stack>
        )}
        {state?.step === 'extracting' && (
          <Stack spacing={1} data-testid="video-extracting">
            <LinearProgress
              variant={state.status.frame > 0 ? 'determinate' : 'indeterminate'}
              value={
                (100 * state.status.frame) / Math.max(1, state.status.total, state.status.frame)
              }
              aria-label="frames posed"
            />
            <Typography variant="body2" data-testid="video-progress">
              {extractingText(state.status)}
            </Typography>
            <Typography variant="caption" color="text.secondary">
              {state.status.width}×{state.status.height}, posed at {state.status.fps} frames a
              second{state.status.hasAudio ? ', with sound' : ''}. Cancel stops it at once and
              leaves the project as it was.
            </Typography>
          </Stack>
        )}
        {state?.step === 'cancelled' && (
          <Alert severity="info" data-testid="video-cancelled">
            Import cancelled: the project was not changed.
          </Alert>
        )}
        {state?.step === 'failed' && (
          <Alert severity="error" data-testid="video-failed">
            {state.message}
            {state.hint ? ` ${state.hint}` : ''}
          </Alert>
        )}
        {choosing && (
          <Stack spacing={2} data-testid="video-choosing">
            <Typography variant="body2">
              {choosing.status.people.length === 1
                ? `One person found in ${choosing.status.frame} frames.`
                : `${choosing.status.people.length} people found: choose whose motion to use.`}
            </Typography>
            <PersonPicker status={choosing.status} chosen={choosing.chosen} onChoose={choose} />
            {choosing.chosen !== null && !choosing.motion && <LinearProgress />}
            {choosing.motion && (
              <Typography variant="body2" data-testid="video-motion">
                {choosing.motion.keyframes} keyframe{choosing.motion.keyframes === 1 ? '' : 's'}{' '}
                from {choosing.motion.frames} frames (worst playback error{' '}
                {choosing.motion.maxError.toFixed(2)} px),{' '}
                {choosing.motion.retargeted
                  ? 'retargeted onto the character'
                  : 'as filmed (place the character’s joints to retarget onto it)'}
                , at {choosing.motion.track.fps} frames a second.
              </Typography>
            )}
            {choosing.status.warnings.length > 0 && (
              <Alert severity="warning">{choosing.status.warnings.slice(0, 2).join('; ')}</Alert>
            )}
            {choosing.status.hasAudio && (
              <FormControlLabel
                control={
                  <Checkbox
                    checked={keepSound}
                    onChange={(e) => setKeepSound(e.target.checked)}
                    data-testid="video-keep-sound"
                  />
                }
                label="Use the video's sound in the render"
              />
            )}
            {keys > 0 && (
              <Alert severity="warning" data-testid="video-replace-warning">
                The track has {keys} keyframe{keys === 1 ? '' : 's'}. Importing replaces them (Undo
                in the Editor brings them back).
              </Alert>
            )}
          </Stack>
        )}
      </DialogContent>
      <DialogActions>
        {running ? (
          <Button onClick={() => void cancel()} color="warning" data-testid="video-cancel">
            Cancel import
          </Button>
        ) : (
          <Button onClick={onClose} data-testid="video-close">
            {choosing ? 'Cancel' : 'Close'}
          </Button>
        )}
        {choosing && (
          <Button
            variant="contained"
            disabled={!choosing.motion || applying}
            onClick={() => void apply(choosing.status, choosing.motion!)}
            data-testid="video-apply"
          >
            {keys > 0 ? `Replace the ${keys} keyframes` : 'Use this motion'}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
