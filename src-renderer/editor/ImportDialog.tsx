import { useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import Stack from '@mui/material/Stack';
import FormControlLabel from '@mui/material/FormControlLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Typography from '@mui/material/Typography';
import {
  importBvhClip,
  importPoseFile,
  type ImportedClip,
  type ImportedTrack,
} from '#shared/editor/poseFiles';
import { readBvhChoices, type BvhImportChoices } from '#shared/api/bvhImport';
import { poseFileSizeProblem } from '#shared/api/sizeLimits';
import type { PoseFrame } from '#shared/pose/types';
import { candidateText, type CanvasSource } from '#shared/geometry/drawnCanvas';
import type { Size } from '#shared/geometry/pictureCanvas';
import { drawnCanvasOf, importPlaced } from '#shared/editor/placeImport';
import { BvhChoices, bvhClipLine } from './BvhChoices';
import { BvhPreview } from './BvhPreview';
import type { EditorStore } from './editorStore';

/** Reads a picked or dropped file (JSON, or BVH text) and hands it to the import dialog. */
export async function offerPoseFile(store: EditorStore, file: File): Promise<void> {
  let value: unknown;
  const tooBig = poseFileSizeProblem(file.name, file.size);
  if (tooBig) {
    store.setState({ status: tooBig });
    return;
  }
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

/** Where the last BVH choices are remembered (read back through the API's schema). */
const CHOICES_KEY = 'pose-studio.bvh-import';

function rememberedChoices(): BvhImportChoices {
  try {
    return readBvhChoices(JSON.parse(localStorage.getItem(CHOICES_KEY) ?? 'null'));
  } catch {
    return readBvhChoices(null);
  }
}

/** What the import gives for the file it was computed for. */
type Outcome = ({ ok: ImportedTrack | ImportedClip } | { error: string }) & {
  inputs: readonly unknown[];
};

const same = (a: readonly unknown[], b: readonly unknown[]) => a.every((x, i) => x === b[i]);

/**
 * Import of a pose file: shows what was read (format, frames, people, what was dropped), the
 * reduction tolerance in pixels and what it gives (keyframes, worst playback error), then
 * replaces the track as one undoable step. A BVH clip also gets its camera, projection and
 * "keep in place" choices and a looping preview; it is made at the project's fps and retargeted
 * onto the character's reference pose (`character`), as `poses convert --retarget` does.
 */
export function ImportDialog({
  store,
  character = null,
  picture = null,
}: {
  store: EditorStore;
  character?: PoseFrame | null;
  /** The character picture's size: a pose file without a canvas may have been drawn on it. */
  picture?: Size | null;
}) {
  const pending = useStore(store, (s) => s.ephemeral.pendingImport);
  const fps = useStore(store, (s) => s.ahistoric.fps);
  const [tolerance, setTolerance] = useState(2);
  const [choices, setChoices] = useState(rememberedChoices);
  const canvas = useStore(store, (s) => `${s.track.width}x${s.track.height}`);
  const isBvh = typeof pending?.value === 'string';
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  // Which canvas the file was drawn on: stated by the file, inferred, or asked (the user's pick).
  const guess = useMemo(() => {
    if (!pending || typeof pending.value === 'string') return null;
    const [width, height] = canvas.split('x').map(Number) as [number, number];
    return drawnCanvasOf(pending.value, {
      fileName: pending.fileName,
      picture,
      project: { width, height },
    });
  }, [pending, canvas, picture?.width, picture?.height]);
  const [picked, setPicked] = useState<CanvasSource | null>(null);
  useEffect(() => setPicked(null), [guess]);
  const drawnOn = guess?.candidates.find((c) => c.source === picked) ?? guess?.candidates[0];
  const inputs = [pending?.value, tolerance, canvas, choices, fps, character, drawnOn] as const;
  // While new choices are computed the last result stays up (no flicker), never another file's;
  // only a result made from the current choices can be imported.
  const result = outcome && outcome.inputs[0] === pending?.value ? outcome : null;
  const fresh = !!outcome && same(outcome.inputs, inputs);

  useEffect(() => {
    if (!pending) return;
    // A long clip takes a few hundred ms: let the dialog paint the new choice first.
    const timer = setTimeout(() => {
      const [width, height] = canvas.split('x').map(Number) as [number, number];
      try {
        const base = { fileName: pending.fileName, tolerance, size: { width, height } };
        setOutcome({
          inputs,
          ok:
            typeof pending.value === 'string'
              ? importBvhClip(pending.value, { ...base, bvh: { ...choices, fps }, character })
              : drawnOn
                ? importPlaced(pending.value, { ...base, drawnOn, project: { width, height } })
                : importPoseFile(pending.value, base),
        });
      } catch (e) {
        setOutcome({ inputs, error: (e as Error).message });
      }
    }, 0);
    return () => clearTimeout(timer);
  }, [pending, tolerance, canvas, choices, fps, character, drawnOn]);

  // Enter pressed while the latest choices were still being computed: import once they are.
  const importWhenReady = useRef(false);
  const close = () => {
    importWhenReady.current = false;
    store.getState().setEphemeral({ pendingImport: null });
  };
  const ok = result && 'ok' in result ? result.ok : null;
  const doImport = () => {
    importWhenReady.current = false;
    if (!ok || !fresh || !pending) return;
    try {
      if (isBvh) localStorage.setItem(CHOICES_KEY, JSON.stringify(choices));
    } catch {
      // storage full or disabled: the choices are not remembered, the import goes on
    }
    store.getState().importTrack(ok.track, `Import ${pending.fileName}`);
  };

  useEffect(() => {
    if (fresh && importWhenReady.current) doImport();
  });

  return (
    <Dialog
      open={!!pending}
      onClose={close}
      maxWidth={isBvh ? 'md' : 'sm'}
      fullWidth
      data-testid="import-dialog"
      aria-labelledby="import-dialog-title"
      onKeyDown={(e) => {
        // Enter imports from anywhere in the dialog except a button, which presses itself.
        if (e.key !== 'Enter' || (e.target as HTMLElement).tagName === 'BUTTON') return;
        e.preventDefault();
        if (fresh) doImport();
        else importWhenReady.current = true;
      }}
    >
      <DialogTitle id="import-dialog-title">
        Import {isBvh ? 'motion capture ' : ''}
        {pending?.fileName}
      </DialogTitle>
      <DialogContent>
        {result && 'error' in result && (
          <Alert severity="error" role="alert" data-testid="import-error">
            {result.error}
          </Alert>
        )}
        {isBvh && !(result && 'error' in result) && (
          <Stack direction="row" spacing={2} sx={{ mb: 1.5, alignItems: 'flex-start' }}>
            {ok ? (
              <BvhPreview track={ok.track} frames={ok.frames} fps={fps} />
            ) : (
              <div style={{ width: 260, height: 260 }} aria-busy={!result} />
            )}
            <BvhChoices
              value={choices}
              onChange={setChoices}
              retarget={
                ok && 'retargeted' in ok ? (ok as ImportedClip) : { retargeted: !!character }
              }
            />
          </Stack>
        )}
        {ok && (
          <>
            <Typography variant="body2" gutterBottom data-testid="import-read">
              {ok.bvh
                ? bvhClipLine(ok.bvh, ok.frames)
                : `${ok.format} · ${ok.frames} frame${ok.frames > 1 ? 's' : ''} · ` +
                  `${ok.track.people.length} ${ok.track.people.length === 1 ? 'person' : 'people'}`}{' '}
              · canvas {ok.track.width}×{ok.track.height}
            </Typography>
            {guess && drawnOn && !guess.ambiguous && (
              <Typography variant="body2" color="text.secondary" data-testid="import-drawn-on">
                Drawn on {candidateText(drawnOn)}, placed on the project canvas as the picture is.
              </Typography>
            )}
            {guess?.ambiguous && drawnOn && (
              <Stack sx={{ mt: 1 }} data-testid="import-drawn-on">
                <Typography variant="body2" id="drawn-on-label">
                  The file does not say which canvas its pixels are on. It was drawn on:
                </Typography>
                <RadioGroup
                  aria-labelledby="drawn-on-label"
                  value={drawnOn.source}
                  onChange={(e) => setPicked(e.target.value as CanvasSource)}
                >
                  {guess.candidates.map((c) => (
                    <FormControlLabel
                      key={c.source}
                      value={c.source}
                      control={<Radio size="small" />}
                      label={candidateText(c)}
                      data-testid={`drawn-on-${c.source}`}
                    />
                  ))}
                </RadioGroup>
              </Stack>
            )}
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
              {ok.keyframes} keyframe{ok.keyframes === 1 ? '' : 's'} from {ok.frames} frame
              {ok.frames === 1 ? '' : 's'}; worst playback error {ok.maxError.toFixed(2)} px
              (tolerance {ok.tolerance} px)
            </Typography>
            {ok.warnings.length > 0 && (
              <Alert severity="warning" sx={{ mt: 1.5 }}>
                {ok.warnings.length} thing{ok.warnings.length > 1 ? 's' : ''} not kept as they were,
                e.g.{' '}
                {ok.warnings
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
          disabled={!ok || !fresh}
          onClick={doImport}
          data-testid="import-confirm"
        >
          Replace the track
        </Button>
      </DialogActions>
    </Dialog>
  );
}
