import { useStore } from 'zustand';
import Box from '@mui/material/Box';
import Divider from '@mui/material/Divider';
import IconButton from '@mui/material/IconButton';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import PlayArrowIcon from '@mui/icons-material/PlayArrow';
import PauseIcon from '@mui/icons-material/Pause';
import SkipNextIcon from '@mui/icons-material/SkipNext';
import SkipPreviousIcon from '@mui/icons-material/SkipPrevious';
import KeyIcon from '@mui/icons-material/Key';
import DeleteIcon from '@mui/icons-material/Delete';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import ContentPasteIcon from '@mui/icons-material/ContentPaste';
import FitScreenIcon from '@mui/icons-material/FitScreen';
import { formatTime, fitView } from '#shared/editor/timelineMath';
import type { EditorStore } from './editorStore';

/**
 * The playhead readout: the only part of the toolbar that changes every frame while playing or
 * scrubbing, so it re-renders alone.
 */
function FrameReadout({ store }: { store: EditorStore }) {
  const frame = useStore(store, (s) => s.ahistoric.frame);
  const frameCount = useStore(store, (s) => s.ahistoric.frameCount);
  const fps = useStore(store, (s) => s.ahistoric.fps);
  return (
    <Typography
      variant="body2"
      sx={{ fontFamily: 'monospace', minWidth: 150 }}
      data-testid="frame-readout"
    >
      {String(frame).padStart(String(frameCount - 1).length, ' ')} / {frameCount - 1} ·{' '}
      {formatTime(frame, fps)}
    </Typography>
  );
}

/** Transport, keyframe actions, ruler unit and onion-skin settings above the timeline. */

/** Tool labels read as words, not shouted. */
const noCaps = { '& .MuiToggleButton-root': { textTransform: 'none', px: 1.25, py: 0.4 } };
export function TimelineToolbar({ store }: { store: EditorStore }) {
  const playing = useStore(store, (s) => s.ephemeral.playing);
  const frameCount = useStore(store, (s) => s.ahistoric.frameCount);
  const unit = useStore(store, (s) => s.ahistoric.rulerUnit);
  const onion = useStore(store, (s) => s.ahistoric.onionSkin);
  const keysSelected = useStore(store, (s) => s.ephemeral.selectedKeyframes.length);
  const hasClip = useStore(store, (s) => !!s.ephemeral.clipboard);
  const status = useStore(store, (s) => s.status);
  const s = store.getState();
  const btn = (
    title: string,
    label: string,
    icon: React.ReactElement,
    onClick: () => void,
    disabled = false,
  ) => (
    <Tooltip title={title}>
      <span>
        <IconButton size="small" aria-label={label} onClick={onClick} disabled={disabled}>
          {icon}
        </IconButton>
      </span>
    </Tooltip>
  );
  const num = (label: string, value: number, onChange: (n: number) => void, max = 20) => (
    <TextField
      label={label}
      type="number"
      value={value}
      onChange={(e) => {
        const n = Math.round(Number(e.target.value));
        if (Number.isFinite(n)) onChange(Math.min(Math.max(n, label === 'Step' ? 1 : 0), max));
      }}
      slotProps={{ htmlInput: { min: 0, max, 'aria-label': `onion ${label.toLowerCase()}` } }}
      sx={{ width: 66 }}
    />
  );

  return (
    <Box
      sx={{
        display: 'flex',
        alignItems: 'center',
        gap: 1,
        px: 1,
        py: 0.5,
        borderBottom: 1,
        borderColor: 'divider',
        flexWrap: 'wrap',
      }}
    >
      {btn('Previous frame (←)', 'previous frame', <SkipPreviousIcon fontSize="small" />, () =>
        s.setFrame(s.ahistoric.frame - 1),
      )}
      {btn(
        playing ? 'Pause (Space)' : 'Play (Space)',
        playing ? 'pause' : 'play',
        playing ? <PauseIcon /> : <PlayArrowIcon />,
        () => s.togglePlay(),
      )}
      {btn('Next frame (→)', 'next frame', <SkipNextIcon fontSize="small" />, () =>
        s.setFrame(s.ahistoric.frame + 1),
      )}
      <FrameReadout store={store} />
      <Divider orientation="vertical" flexItem />
      {btn('Add keyframe (K)', 'add keyframe', <KeyIcon fontSize="small" />, () =>
        s.keyCurrentFrame(),
      )}
      {btn(
        'Delete keyframes (Del)',
        'delete keyframes',
        <DeleteIcon fontSize="small" />,
        () => s.deleteSelectedKeyframes(),
        !keysSelected,
      )}
      {btn(
        'Copy keyframes (Ctrl+C)',
        'copy keyframes',
        <ContentCopyIcon fontSize="small" />,
        () => s.copySelectedKeyframes(),
        !keysSelected,
      )}
      {btn(
        'Paste at playhead (Ctrl+V)',
        'paste keyframes',
        <ContentPasteIcon fontSize="small" />,
        () => s.paste(),
        !hasClip,
      )}
      <Divider orientation="vertical" flexItem />
      <ToggleButtonGroup
        sx={noCaps}
        size="small"
        exclusive
        value={unit}
        onChange={(_, v) => v && s.setView({ rulerUnit: v })}
        aria-label="ruler unit"
      >
        <ToggleButton value="frames">Frames</ToggleButton>
        <ToggleButton value="seconds">Seconds</ToggleButton>
      </ToggleButtonGroup>
      {btn('Fit the whole track', 'fit timeline', <FitScreenIcon fontSize="small" />, () => {
        const w =
          (document.querySelector('[data-testid="timeline-canvas"]') as HTMLElement | null)
            ?.clientWidth ?? 800;
        s.setView({ timeline: fitView(frameCount, w) });
      })}
      <Divider orientation="vertical" flexItem />
      <ToggleButton
        sx={{ textTransform: 'none' }}
        size="small"
        value="onion"
        selected={onion.enabled}
        aria-label="onion skin"
        onChange={() => s.setView({ onionSkin: { ...onion, enabled: !onion.enabled } })}
      >
        Onion skin
      </ToggleButton>
      {onion.enabled && (
        <>
          {num('Before', onion.before, (n) => s.setView({ onionSkin: { ...onion, before: n } }))}
          {num('After', onion.after, (n) => s.setView({ onionSkin: { ...onion, after: n } }))}
          {num('Step', onion.step, (n) => s.setView({ onionSkin: { ...onion, step: n } }), 1000)}
          <input
            aria-label="onion colour before"
            type="color"
            value={onion.colorBefore}
            onChange={(e) => s.setView({ onionSkin: { ...onion, colorBefore: e.target.value } })}
          />
          <input
            aria-label="onion colour after"
            type="color"
            value={onion.colorAfter}
            onChange={(e) => s.setView({ onionSkin: { ...onion, colorAfter: e.target.value } })}
          />
        </>
      )}
      <Typography
        variant="caption"
        color="text.secondary"
        sx={{ ml: 'auto' }}
        data-testid="editor-status"
      >
        {status}
      </Typography>
    </Box>
  );
}
