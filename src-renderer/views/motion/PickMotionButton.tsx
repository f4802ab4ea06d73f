import { useState } from 'react';
import Button from '@mui/material/Button';
import DirectionsRun from '@mui/icons-material/DirectionsRun';
import type { PoseFrame } from '#shared/pose/types';
import type { EditorStore } from '../../editor/editorStore';
import { MotionPicker } from './MotionPicker';

/** The Motion step's entry in the Editor: opens the motion picker. */
export function PickMotionButton(props: {
  store: EditorStore;
  fps: number;
  character: PoseFrame | null;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        size="small"
        variant="contained"
        startIcon={<DirectionsRun />}
        onClick={() => setOpen(true)}
        data-testid="pick-motion"
      >
        Pick a motion
      </Button>
      <MotionPicker open={open} onClose={() => setOpen(false)} {...props} />
    </>
  );
}
