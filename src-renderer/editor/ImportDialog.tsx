import { useMemo, useState } from 'react';
import { useStore } from 'zustand';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { importPoseFile, type ImportedTrack } from '#shared/editor/poseFiles';
import type { EditorStore } from './editorStore';

/** Reads a picked or dropped file (JSON, or BVH text) and hands it to the import dialog. */
export async function offerPoseFile(store: EditorStore, file: File): Promise<void> {
  let value: unknown;
  if (/\.bvh$/i.test(file.name)) {
    // BVH motion capture is text; the pose importers read it as it is
    store
      .getState()
      .setEphemeral({ pendingImport: { fileName: file.name, value: await file.text() } });
    return;
  }
  try {
    value = JSON.parse(await file.text());
  } catch {
    store.setState({
      status: `${file.name} is not JSON: pose files are ControlNet, ComfyUI, DWPose, MediaPipe or COCO JSON, or BVH`,
    });
    return;
  }
  store.getState().setEphemeral({ pendingImport: { fileName: file.name, value } });
}

/**
 * Import of a pose file: shows what was read (format, frames, people, what was dropped), the
 * reduction tolerance in pixels and what it gives (keyframes, worst playback error), then
 * replaces the track as one undoable step.
 */
export function ImportDialog({ store }: { store: EditorStore }) {
  const pending = useStore(store, (s) => s.ephemeral.pendingImport);
  const [tolerance, setTolerance] = useState(2);
  const canvas = useStore(store, (s) => `${s.track.width}x${s.track.height}`);
  const result = useMemo((): { ok: ImportedTrack } | { error: string } | null => {
    if (!pending) return null;
    const [width, height] = canvas.split('x').map(Number) as [number, number];
    try {
      return {
        ok: importPoseFile(pending.value, {
          fileName: pending.fileName,
          tolerance,
          size: { width, height },
        }),
      };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }, [pending, tolerance, canvas]);
  const close = () => store.getState().setEphemeral({ pendingImport: null });

  return (
    <Dialog open={!!pending} onClose={close} maxWidth="sm" fullWidth data-testid="import-dialog">
      <DialogTitle>Import {pending?.fileName}</DialogTitle>
      <DialogContent>
        {result && 'error' in result && <Alert severity="error">{result.error}</Alert>}
        {result && 'ok' in result && (
          <>
            <Typography variant="body2" gutterBottom>
              {result.ok.format} · {result.ok.frames} frame{result.ok.frames > 1 ? 's' : ''} ·{' '}
              {result.ok.track.people.length}{' '}
              {result.ok.track.people.length === 1 ? 'person' : 'people'} · canvas{' '}
              {result.ok.track.width}×{result.ok.track.height}
            </Typography>
            <TextField
              label="Tolerance (px)"
              type="number"
              value={tolerance}
              onChange={(e) => {
                const v = Number(e.target.value);
                if (Number.isFinite(v) && v >= 0) setTolerance(v);
              }}
              slotProps={{ htmlInput: { min: 0, step: 0.5, 'aria-label': 'tolerance' } }}
              sx={{ my: 1.5, width: 160 }}
            />
            <Typography
              variant="caption"
              color="text.secondary"
              component="div"
              sx={{ mt: -1, mb: 1.5 }}
            >
              Largest allowed distance between a point of the file and the keyframed motion.
            </Typography>
            <Typography variant="body2" data-testid="import-summary">
              {result.ok.keyframes} keyframe{result.ok.keyframes === 1 ? '' : 's'} from{' '}
              {result.ok.frames} frame
              {result.ok.frames === 1 ? '' : 's'}; worst playback error{' '}
              {result.ok.maxError.toFixed(2)} px (tolerance {result.ok.tolerance} px)
            </Typography>
            {result.ok.warnings.length > 0 && (
              <Alert severity="warning" sx={{ mt: 1.5 }}>
                {result.ok.warnings.length} thing{result.ok.warnings.length > 1 ? 's' : ''} not kept
                as they were, e.g.{' '}
                {result.ok.warnings
                  .slice(0, 2)
                  .map((w) => `${w.path}: ${w.message}`)
                  .join('; ')}
              </Alert>
            )}
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={close}>Cancel</Button>
        <Button
          variant="contained"
          disabled={!result || !('ok' in result)}
          onClick={() => {
            if (result && 'ok' in result)
              store.getState().importTrack(result.ok.track, `Import ${pending!.fileName}`);
          }}
        >
          Replace the track
        </Button>
      </DialogActions>
    </Dialog>
  );
}
