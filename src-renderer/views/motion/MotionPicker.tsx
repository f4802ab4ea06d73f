import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import ButtonBase from '@mui/material/ButtonBase';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Typography from '@mui/material/Typography';
import type { MotionSummary } from '#shared/api/index';
import { toPoseTrack } from '#shared/project/convert';
import { motionForCharacter } from '#shared/pose/motions/motionPick';
import type { PoseFrame } from '#shared/pose/types';
import { api } from '../../api/client';
import type { EditorStore } from '../../editor/editorStore';
import { attempt } from '../../state/store';
import { MotionThumbnail } from './MotionThumbnail';

export interface MotionPickerProps {
  open: boolean;
  onClose(): void;
  /** The editor the motion goes into (one undoable step of its history). */
  store: EditorStore;
  /** Frame rate of the project's track, which the motion's keys are moved to. */
  fps: number;
  /** The character's pose on its picture: the motion is retargeted onto it (null: kept as is). */
  character: PoseFrame | null;
}

const SECTION: Record<MotionSummary['source'], string> = {
  shipped: 'Shipped with Pose Studio',
  project: 'In this project',
};

/**
 * Pick a motion for the character: the shipped ones (wave, walk, jump, dance) and the tracks of
 * this project (imported pose files, BVH clips), each a looping skeleton thumbnail. Picking one
 * replaces the editor's track with it, retargeted onto the character — one step Ctrl+Z takes back.
 */
export function MotionPicker({ open, onClose, store, fps, character }: MotionPickerProps) {
  const [motions, setMotions] = useState<MotionSummary[] | null>(null);
  const [picking, setPicking] = useState<string | null>(null);
  useEffect(() => {
    if (!open) return;
    let cancelled = false;
    setMotions(null);
    void attempt(() => api.call('motions.list', {})).then((m) => !cancelled && setMotions(m ?? []));
    return () => {
      cancelled = true;
    };
  }, [open]);

  const pick = async (m: MotionSummary) => {
    setPicking(`${m.source}/${m.id}`);
    const json = await attempt(() => api.call('motions.get', { source: m.source, id: m.id }));
    setPicking(null);
    if (!json) return;
    const track = motionForCharacter(
      toPoseTrack(json),
      { motion: json.fps, project: fps },
      character,
    );
    store.getState().importTrack(track, `Use motion ${m.name}`);
    onClose();
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby="motion-picker-title"
    >
      <DialogTitle id="motion-picker-title">Pick a motion</DialogTitle>
      <DialogContent>
        {character === null && (
          <Alert severity="info" sx={{ mb: 2 }}>
            The character has no pose yet: the motion is used as drawn. Detect the pose on the
            Character view to fit motions to the character's proportions.
          </Alert>
        )}
        {motions === null ? (
          <CircularProgress />
        ) : (
          (['shipped', 'project'] as const).map((source) => {
            const list = motions.filter((m) => m.source === source);
            if (list.length === 0) return null;
            return (
              <Box key={source} sx={{ mb: 2 }}>
                <Typography variant="subtitle2" gutterBottom>
                  {SECTION[source]}
                </Typography>
                <Box
                  role="list"
                  sx={{
                    display: 'grid',
                    gridTemplateColumns: 'repeat(auto-fill, minmax(128px, 1fr))',
                    gap: 1.5,
                  }}
                >
                  {list.map((m) => {
                    const key = `${m.source}/${m.id}`;
                    return (
                      <Box key={key} role="listitem" sx={{ display: 'flex' }}>
                        <ButtonBase
                          data-testid={`motion-${key}`}
                          aria-label={`Use motion ${m.name} (${m.seconds.toFixed(1)} s)`}
                          disabled={picking !== null}
                          onClick={() => void pick(m)}
                          sx={{
                            flexDirection: 'column',
                            alignItems: 'center',
                            gap: 0.5,
                            p: 1,
                            borderRadius: 1,
                            border: 1,
                            borderColor: m.current ? 'primary.main' : 'divider',
                            flex: 1,
                          }}
                        >
                          <MotionThumbnail preview={m.preview} />
                          <Typography variant="body2">{m.name}</Typography>
                          <Typography variant="caption" color="text.secondary">
                            {picking === key
                              ? 'Fitting…'
                              : `${m.seconds.toFixed(1)} s${m.current ? ' · in use' : ''}`}
                          </Typography>
                        </ButtonBase>
                      </Box>
                    );
                  })}
                </Box>
              </Box>
            );
          })
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
      </DialogActions>
    </Dialog>
  );
}
