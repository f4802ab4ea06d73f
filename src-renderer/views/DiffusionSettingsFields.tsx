import Box from '@mui/material/Box';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import {
  crossFrameModes,
  referenceModes,
  stickWidths,
  type DiffusionSettings,
} from '#shared/api/index';

type NumberKey = 'steps' | 'guidance' | 'controlnetScale';
const NUMBERS: { key: NumberKey; label: string; step: number; help: string }[] = [
  {
    key: 'steps',
    label: 'Steps',
    step: 1,
    help: 'More steps: finer detail, slower (20–30 is usual)',
  },
  {
    key: 'guidance',
    label: 'Guidance',
    step: 0.5,
    help: 'How closely to follow the prompt (7.5 is usual; 1: about twice as fast, no negative prompt)',
  },
  {
    key: 'controlnetScale',
    label: 'ControlNet scale',
    step: 0.1,
    help: 'How strictly the frames follow the poses (1 is usual)',
  },
];

/** Separately downloaded pack components (project `generator.params.controlNetPath` / `unetPath`). */
const FOLDERS: { key: 'controlNetPath' | 'unetPath'; label: string; help: string }[] = [
  {
    key: 'controlNetPath',
    label: 'ControlNet folder',
    help: "An OpenPose ControlNet downloaded on its own; empty: the pack's controlnet/",
  },
  {
    key: 'unetPath',
    label: 'Replacement UNet folder',
    help: "A ControlNet-aware or optimised UNet to use instead of the pack's; empty: the pack's",
  },
];

const CROSS_FRAME_LABELS: Record<(typeof crossFrameModes)[number], string> = {
  off: 'Off',
  previous: 'Previous frame',
};

const STICK_WIDTH_LABELS: Record<(typeof stickWidths)[number], string> = {
  classic: 'Classic (SD1.5 OpenPose ControlNets)',
  'high-resolution': 'High-resolution (SDXL pose models)',
};

const REFERENCE_MODE_LABELS: Record<(typeof referenceModes)[number], string> = {
  clean: 'Clean picture, once (ReferenceNet style)',
  noised: 'Noised picture, every step (reference-only style)',
};

export interface DiffusionSettingsFieldsProps {
  pack: string | undefined;
  value: DiffusionSettings;
  onPack(pack: string | undefined): void;
  onChange(value: DiffusionSettings): void;
  /** Problems by field path, as the contract words them ("pack", "diffusion.steps", …). */
  problems: ReadonlyMap<string, string>;
}

/** The diffusion generator's settings: pack, prompts, sampling numbers, seed, cross-frame. */
export function DiffusionSettingsFields({
  pack,
  value,
  onPack,
  onChange,
  problems,
}: DiffusionSettingsFieldsProps) {
  const problem = (key: string) => problems.get(key === 'pack' ? key : `diffusion.${key}`);
  const shown = (key: string, help: string) => ({
    error: problem(key) !== undefined,
    helperText: problem(key) ?? help,
  });
  const set = (patch: Partial<DiffusionSettings>) => onChange({ ...value, ...patch });

  return (
    <Box data-testid="diffusion-settings" sx={{ mt: 2.5, display: 'grid', gap: 1.5 }}>
      <Typography variant="subtitle2" color="text.secondary">
        Diffusion
      </Typography>
      <TextField
        label="Model pack"
        placeholder="folder or pack name"
        value={pack ?? ''}
        onChange={(e) => onPack(e.target.value === '' ? undefined : e.target.value)}
        {...shown('pack', 'A folder, or a pack name under Settings → model pack folders')}
        slotProps={{ htmlInput: { 'data-testid': 'render-pack' } }}
      />
      <Box
        sx={{
          display: 'grid',
          gridTemplateColumns: 'repeat(auto-fit, minmax(320px, 1fr))',
          gap: 1.5,
        }}
      >
        {FOLDERS.map(({ key, label, help }) => (
          <TextField
            key={key}
            label={label}
            placeholder="optional folder"
            value={value[key] ?? ''}
            onChange={(e) => set({ [key]: e.target.value === '' ? undefined : e.target.value })}
            {...shown(key, help)}
            slotProps={{ htmlInput: { 'data-testid': `render-${key}` } }}
          />
        ))}
      </Box>
      <Box
        sx={{
          display: 'grid',
          gridTemplateColumns: 'repeat(auto-fit, minmax(320px, 1fr))',
          gap: 1.5,
        }}
      >
        <TextField
          label="Prompt"
          multiline
          minRows={3}
          maxRows={10}
          placeholder="a knitted toy dancing on a wooden table, soft studio light"
          value={value.prompt}
          onChange={(e) => set({ prompt: e.target.value })}
          {...shown('prompt', 'What the frames should show: the character, style, place, light')}
          slotProps={{ htmlInput: { 'data-testid': 'render-prompt' } }}
        />
        <TextField
          label="Negative prompt"
          multiline
          minRows={3}
          maxRows={10}
          placeholder="blurry, extra fingers, text"
          value={value.negativePrompt}
          onChange={(e) => set({ negativePrompt: e.target.value })}
          {...shown('negativePrompt', 'What to keep out of the frames (optional)')}
          slotProps={{ htmlInput: { 'data-testid': 'render-negativePrompt' } }}
        />
      </Box>
      <Box
        sx={{
          display: 'grid',
          gridTemplateColumns: 'repeat(auto-fill, minmax(200px, 1fr))',
          gap: 1.5,
          alignItems: 'start',
        }}
      >
        {NUMBERS.map(({ key, label, step, help }) => (
          <TextField
            key={key}
            type="number"
            label={label}
            value={value[key]}
            onChange={(e) => set({ [key]: Number(e.target.value) })}
            {...shown(key, help)}
            slotProps={{ htmlInput: { 'data-testid': `render-${key}`, step } }}
          />
        ))}
        <TextField
          type="number"
          label="Seed"
          placeholder="render seed"
          value={value.seed ?? ''}
          onChange={(e) =>
            set({ seed: e.target.value.trim() === '' ? undefined : Number(e.target.value) })
          }
          {...shown('seed', "Same seed, same frames. Empty: the project's render seed")}
          slotProps={{ htmlInput: { 'data-testid': 'render-seed', step: 1 } }}
        />
        <TextField
          select
          label="Cross-frame attention"
          value={value.crossFrame}
          onChange={(e) => set({ crossFrame: e.target.value as DiffusionSettings['crossFrame'] })}
          {...shown(
            'crossFrame',
            value.crossFrame === 'off'
              ? 'Frames are made independently of each other'
              : 'Each frame also looks at the one before: steadier motion',
          )}
        >
          {crossFrameModes.map((m) => (
            <MenuItem key={m} value={m}>
              {CROSS_FRAME_LABELS[m]}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          label="Pose stick width"
          value={value.stickWidth}
          onChange={(e) => set({ stickWidth: e.target.value as DiffusionSettings['stickWidth'] })}
          {...shown(
            'stickWidth',
            'Draw the poses as the ControlNet was trained: classic sticks for SD1.5 OpenPose models',
          )}
          slotProps={{ htmlInput: { 'data-testid': 'stick-width' } }}
        >
          {stickWidths.map((m) => (
            <MenuItem key={m} value={m}>
              {STICK_WIDTH_LABELS[m]}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          label="Reference"
          value={value.referenceMode}
          onChange={(e) =>
            set({ referenceMode: e.target.value as DiffusionSettings['referenceMode'] })
          }
          {...shown(
            'referenceMode',
            'What the frames look at to keep the character: the clean picture once, or the picture noised like each step',
          )}
          slotProps={{ htmlInput: { 'data-testid': 'reference-mode' } }}
        >
          {referenceModes.map((m) => (
            <MenuItem key={m} value={m}>
              {REFERENCE_MODE_LABELS[m]}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          type="number"
          label="Style fidelity"
          value={value.styleFidelity}
          onChange={(e) => set({ styleFidelity: Number(e.target.value) })}
          {...shown(
            'styleFidelity',
            '0–1: with guidance, higher follows the picture more closely (0: as before)',
          )}
          slotProps={{ htmlInput: { 'data-testid': 'style-fidelity', step: 0.1, min: 0, max: 1 } }}
        />
        <FormControlLabel
          control={
            <Checkbox
              checked={value.referenceAdain}
              onChange={(e) => set({ referenceAdain: e.target.checked })}
              slotProps={{ input: { 'data-testid': 'reference-adain' } as object }}
            />
          }
          label="Match the picture's colour statistics every step (AdaIN)"
        />
      </Box>
    </Box>
  );
}
