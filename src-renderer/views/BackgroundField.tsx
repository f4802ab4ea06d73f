import Box from '@mui/material/Box';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import type { RenderSettings } from '#shared/api/index';

type Background = NonNullable<RenderSettings['background']>;

/** Formats whose files keep a transparent background (the others show the plate). */
const KEEPS_ALPHA: ReadonlySet<string> = new Set(['png', 'prores', 'webm']);

/**
 * The puppet's background (`generator.params.background`): the picture's own background (a photo's
 * inpainted plate, a cut-out's transparency), transparent, or a colour.
 */
export function BackgroundField(props: {
  value: Background;
  format: RenderSettings['format'];
  onChange: (value: Background) => void;
}) {
  const { value, format, onChange } = props;
  const mode = value === 'plate' || value === 'transparent' ? value : 'colour';
  const keepsAlpha = KEEPS_ALPHA.has(format);
  return (
    <Box sx={{ display: 'flex', gap: 1 }}>
      <TextField
        select
        fullWidth
        label="Background"
        value={mode}
        onChange={(e) => {
          const m = e.target.value;
          onChange(m === 'colour' ? '#ffffff' : (m as Background));
        }}
        helperText={
          mode === 'transparent' && !keepsAlpha
            ? 'This format has no alpha: shown over the picture’s background'
            : undefined
        }
        slotProps={{ htmlInput: { 'data-testid': 'render-background' } }}
      >
        <MenuItem value="plate">Picture’s own (filled where the character was)</MenuItem>
        <MenuItem value="transparent">Transparent (PNG, ProRes 4444, WebM)</MenuItem>
        <MenuItem value="colour">Colour</MenuItem>
      </TextField>
      {mode === 'colour' && (
        <TextField
          type="color"
          label="Colour"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          sx={{ width: 80 }}
          slotProps={{ htmlInput: { 'data-testid': 'render-background-colour' } }}
        />
      )}
    </Box>
  );
}
