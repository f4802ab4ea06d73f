import { useEffect, useState } from 'react';
import Box from '@mui/material/Box';
import FormControlLabel from '@mui/material/FormControlLabel';
import IconButton from '@mui/material/IconButton';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Switch from '@mui/material/Switch';
import Typography from '@mui/material/Typography';
import CloseIcon from '@mui/icons-material/Close';
import PlayArrowIcon from '@mui/icons-material/PlayArrow';
import type { TransitionPreview } from '#shared/api/index';
import { frameIntervalMs, nextFrameIndex, readoutText, renderingText } from './transitionPreview';

/** What the player shows: a preview being rendered, a finished one, or a failure. */
export type PreviewState =
  | { kind: 'rendering'; boundary: number; from: number; to: number; startedAt: number }
  | { kind: 'ready'; preview: TransitionPreview }
  | { kind: 'failed'; boundary: number; message: string };

/**
 * Small overlay that plays a transition preview's frames (JPEG data URLs) at the project's fps:
 * once by default, looping when asked; the boundary frame is marked. While the frames render it
 * shows which frames are being rendered and how long it has taken.
 */
export function TransitionPlayer({ state, onClose }: { state: PreviewState; onClose(): void }) {
  const [loop, setLoop] = useState(false);
  const [index, setIndex] = useState(0);
  const [playing, setPlaying] = useState(true);
  const [shown, setShown] = useState(0);
  const preview = state.kind === 'ready' ? state.preview : null;
  const [now, setNow] = useState(() => Date.now());

  // Elapsed time while the frames render (the call reports no per-frame progress).
  useEffect(() => {
    if (state.kind !== 'rendering') return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [state.kind]);

  // A new preview starts from its first frame.
  useEffect(() => {
    setIndex(0);
    setShown(preview ? 1 : 0);
    setPlaying(Boolean(preview));
  }, [preview]);

  useEffect(() => {
    if (!preview || !playing) return;
    const n = preview.frames.length;
    const timer = setInterval(() => {
      setIndex((i) => nextFrameIndex(i, n, loop));
      setShown((s) => s + 1);
    }, frameIntervalMs(preview.fps));
    return () => clearInterval(timer);
  }, [preview, playing, loop]);

  // Played once: stop on the last frame (it stays on screen).
  useEffect(() => {
    if (preview && !loop && index >= preview.frames.length - 1) setPlaying(false);
  }, [preview, loop, index]);

  const frame = preview ? preview.from + index : null;
  return (
    <Paper
      elevation={8}
      data-testid="transition-preview"
      data-state={state.kind}
      data-frame-count={preview?.frames.length ?? 0}
      data-frames-shown={shown}
      data-playing={playing ? 'true' : 'false'}
      sx={{ position: 'absolute', bottom: 48, right: 12, width: 336, p: 1, zIndex: 5 }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 0.5 }}>
        <Typography variant="subtitle2" sx={{ flex: 1 }} noWrap>
          Transition at frame {state.kind === 'ready' ? state.preview.boundary : state.boundary}
        </Typography>
        <IconButton size="small" aria-label="close preview" onClick={onClose}>
          <CloseIcon fontSize="small" />
        </IconButton>
      </Box>
      {state.kind === 'rendering' && (
        <Box sx={{ py: 2 }} data-testid="transition-preview-progress">
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
            {renderingText(state.from, state.to, now - state.startedAt)}
          </Typography>
          <LinearProgress />
        </Box>
      )}
      {state.kind === 'failed' && (
        <Typography variant="body2" color="error" sx={{ py: 2 }}>
          {state.message}
        </Typography>
      )}
      {preview && (
        <>
          <Box
            component="img"
            data-testid="transition-preview-frame"
            data-frame={frame ?? 0}
            src={preview.frames[index]}
            alt={`rendered frame ${frame}`}
            sx={{
              display: 'block',
              width: '100%',
              aspectRatio: `${preview.width} / ${preview.height}`,
              bgcolor: 'black',
              outline: frame === preview.boundary ? '2px solid #ffb300' : 'none',
            }}
          />
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mt: 0.5 }}>
            <IconButton
              size="small"
              aria-label="play preview"
              disabled={playing}
              onClick={() => {
                setIndex(0);
                setPlaying(true);
              }}
            >
              <PlayArrowIcon fontSize="small" />
            </IconButton>
            <Typography variant="caption" sx={{ flex: 1 }} data-testid="transition-preview-readout">
              {readoutText(preview, index)}
            </Typography>
            <FormControlLabel
              control={
                <Switch
                  size="small"
                  checked={loop}
                  onChange={(e) => {
                    setLoop(e.target.checked);
                    if (e.target.checked) setPlaying(true);
                  }}
                  slotProps={{ input: { 'aria-label': 'loop preview' } }}
                />
              }
              label={<Typography variant="caption">Loop</Typography>}
            />
          </Box>
        </>
      )}
    </Paper>
  );
}
