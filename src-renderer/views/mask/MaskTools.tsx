import Button from '@mui/material/Button';
import Slider from '@mui/material/Slider';
import Stack from '@mui/material/Stack';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { type MaskTool, useMaskEditor } from './maskEditorStore';
import { MASK_KEYS } from './useMaskShortcuts';

/** The brush (add/erase/off), its size, and undo/redo of mask edits. */
export function MaskTools() {
  const { tool, radius, width, height, history, setTool, setRadius, undo, redo } = useMaskEditor();
  const longSide = Math.max(width, height);
  const max = Math.max(16, Math.round(longSide / 6));
  return (
    <Stack spacing={1} data-testid="mask-tools">
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        <ToggleButtonGroup
          size="small"
          exclusive
          value={tool}
          onChange={(_, v: MaskTool | null) => setTool(v ?? 'off')}
          aria-label="Mask brush"
        >
          <Tooltip title={`Drag joints, no brush (${MASK_KEYS.off})`}>
            <ToggleButton value="off" data-testid="mask-tool-off">
              Skeleton
            </ToggleButton>
          </Tooltip>
          <Tooltip title={`Paint the character in (${MASK_KEYS.add})`}>
            <ToggleButton value="add" data-testid="mask-tool-add">
              Add
            </ToggleButton>
          </Tooltip>
          <Tooltip title={`Erase what is not the character (${MASK_KEYS.erase})`}>
            <ToggleButton value="erase" data-testid="mask-tool-erase">
              Erase
            </ToggleButton>
          </Tooltip>
        </ToggleButtonGroup>
        <Button
          size="small"
          disabled={history.past.length === 0}
          onClick={() => undo()}
          data-testid="mask-undo"
          title="Undo the last mask edit (Ctrl+Z while a brush is chosen)"
        >
          Undo
        </Button>
        <Button
          size="small"
          disabled={history.future.length === 0}
          onClick={() => redo()}
          data-testid="mask-redo"
          title="Redo (Ctrl+Shift+Z while a brush is chosen)"
        >
          Redo
        </Button>
      </Stack>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
        <Typography variant="body2" id="mask-brush-size" sx={{ whiteSpace: 'nowrap' }}>
          Brush {radius} px
        </Typography>
        <Slider
          size="small"
          min={1}
          max={max}
          value={Math.min(radius, max)}
          onChange={(_, v) => setRadius(v as number)}
          aria-labelledby="mask-brush-size"
          data-testid="mask-brush-size"
        />
        <Typography variant="caption" color="text.secondary" sx={{ whiteSpace: 'nowrap' }}>
          {MASK_KEYS.smaller} {MASK_KEYS.larger}
        </Typography>
      </Stack>
    </Stack>
  );
}
