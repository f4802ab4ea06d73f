import { useEffect, useRef, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import {
  defaultDiffusionSettings,
  generators,
  renderSettingsProblems,
  type RenderSettings,
} from '#shared/api/index';
import { OUTPUT_FORMATS } from '#shared/project/schema';
import { RENDER_STRATEGIES } from '#shared/render/strategy';
import { api } from '../api/client';
import { attempt, useStudio } from '../state/store';
import { BackgroundField } from './BackgroundField';
import { DiffusionSettingsFields } from './DiffusionSettingsFields';
import { RenderBlockedNote, useRenderBlocker } from './steps/RenderBlockedNote';

const FORMAT_LABELS: Record<string, string> = {
  mp4: 'MP4 (H.264)',
  webm: 'WebM (VP9)',
  prores: 'ProRes (MOV; 4444 with alpha)',
  png: 'PNG sequence',
  gif: 'GIF',
};

type NumberKey = 'width' | 'height' | 'fps' | 'from' | 'to' | 'segmentLength' | 'segmentOverlap';
const NUMBERS: { key: NumberKey; label: string }[] = [
  { key: 'width', label: 'Width' },
  { key: 'height', label: 'Height' },
  { key: 'fps', label: 'Frames/s' },
  { key: 'from', label: 'From frame' },
  { key: 'to', label: 'To frame (excl.)' },
  { key: 'segmentLength', label: 'Segment length' },
  { key: 'segmentOverlap', label: 'Overlap' },
];

const LABELS: Record<string, string> = {
  ...Object.fromEntries(NUMBERS.map((n) => [n.key, n.label])),
  pack: 'Model pack',
  background: 'Background',
  'diffusion.prompt': 'Prompt',
  'diffusion.negativePrompt': 'Negative prompt',
  'diffusion.steps': 'Steps',
  'diffusion.guidance': 'Guidance',
  'diffusion.controlnetScale': 'ControlNet scale',
  'diffusion.controlNetPath': 'ControlNet folder',
  'diffusion.unetPath': 'Replacement UNet folder',
  'diffusion.seed': 'Seed',
  'diffusion.crossFrame': 'Cross-frame attention',
};

/**
 * What a render is started with: the puppet does not get the diffusion block (the form keeps it,
 * so switching to the puppet and back loses nothing, but a hidden field never blocks a render).
 */
function toSend(s: RenderSettings): RenderSettings {
  if (s.generator === 'diffusion') return s;
  const { diffusion: _hidden, ...rest } = s;
  return rest;
}

/** Render settings, checked with the contract's schema before a job is started. */
export function RenderSettingsForm() {
  const project = useStudio((s) => s.project);
  const [settings, setSettings] = useState<RenderSettings | null>(null);
  const [starting, setStarting] = useState(false);
  const renderRequest = useStudio((s) => s.renderRequest);
  const handledRequest = useRef(renderRequest);
  const startRef = useRef<() => void>(() => undefined);
  // Picture, pose and a motion with keys: without them the button is off and says what to do.
  const blocker = useRenderBlocker();

  useEffect(() => {
    if (project)
      void attempt(() => api.call('render.defaults', {})).then((d) => d && setSettings(d));
  }, [project]);
  // The desktop menu's "Render Now" (Ctrl+Enter).
  useEffect(() => {
    if (renderRequest === handledRequest.current) return;
    handledRequest.current = renderRequest;
    startRef.current();
  }, [renderRequest]);

  if (!settings) return <Typography color="text.secondary">Loading render settings…</Typography>;
  const sent = toSend(settings);
  // The contract's schema checks the form; its issues are shown at the fields they concern.
  const problems = renderSettingsProblems(sent);
  const valid = problems.size === 0;
  const fieldProblem = (key: string) =>
    problems.has(key) ? { error: true, helperText: problems.get(key) } : {};

  const start = async () => {
    setStarting(true);
    const job = await attempt(() => api.call('render.start', { settings: sent }));
    if (job)
      useStudio.setState((s) => ({
        jobs: s.jobs.some((j) => j.id === job.id) ? s.jobs : [job, ...s.jobs],
      }));
    setStarting(false);
  };
  startRef.current = () => {
    if (blocker) useStudio.getState().showInfo('Cannot render yet', blocker.message);
    else if (valid && !starting) void start();
  };

  return (
    <Box>
      <Box
        sx={{
          display: 'grid',
          gridTemplateColumns: 'repeat(auto-fill, minmax(130px, 1fr))',
          gap: 1.5,
        }}
      >
        <TextField
          select
          label="Generator"
          value={settings.generator}
          onChange={(e) => {
            const generator = e.target.value as RenderSettings['generator'];
            setSettings({
              ...settings,
              generator,
              // The project format's defaults the first time diffusion is chosen.
              ...(generator === 'diffusion' && !settings.diffusion
                ? { diffusion: defaultDiffusionSettings() }
                : {}),
            });
          }}
        >
          {generators.map((g) => (
            <MenuItem key={g} value={g}>
              {g === 'puppet' ? 'Puppet (fast)' : 'Diffusion'}
            </MenuItem>
          ))}
        </TextField>
        {NUMBERS.map(({ key, label }) => (
          <TextField
            key={key}
            type="number"
            label={label}
            value={settings[key]}
            onChange={(e) => setSettings({ ...settings, [key]: Number(e.target.value) })}
            {...fieldProblem(key)}
            slotProps={{ htmlInput: { 'data-testid': `render-${key}` } }}
          />
        ))}
        <TextField
          select
          label="Strategy"
          value={settings.strategy}
          onChange={(e) =>
            setSettings({ ...settings, strategy: e.target.value as RenderSettings['strategy'] })
          }
        >
          {RENDER_STRATEGIES.map((s) => (
            <MenuItem key={s} value={s}>
              {s}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          label="Output"
          value={settings.format}
          onChange={(e) =>
            setSettings({ ...settings, format: e.target.value as RenderSettings['format'] })
          }
        >
          {OUTPUT_FORMATS.map((f) => (
            <MenuItem key={f} value={f}>
              {FORMAT_LABELS[f]}
            </MenuItem>
          ))}
        </TextField>
        {settings.generator === 'puppet' && (
          <BackgroundField
            value={settings.background ?? 'plate'}
            format={settings.format}
            onChange={(background) => setSettings({ ...settings, background })}
          />
        )}
      </Box>
      {settings.generator === 'diffusion' && (
        <DiffusionSettingsFields
          pack={settings.pack}
          value={settings.diffusion ?? defaultDiffusionSettings()}
          onPack={(pack) => setSettings({ ...settings, pack })}
          onChange={(diffusion) => setSettings({ ...settings, diffusion })}
          problems={problems}
        />
      )}
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, mt: 2 }}>
        <Button
          variant="contained"
          size="medium"
          disabled={!valid || starting || blocker !== null}
          onClick={() => void start()}
          data-testid="start-render"
        >
          Render {valid ? `${settings.to - settings.from} frames` : ''}
        </Button>
        {blocker && <RenderBlockedNote blocker={blocker} />}
        {!valid && (
          <Typography variant="body2" color="error" data-testid="render-problems">
            {[...problems].map(([key, text]) => `${LABELS[key] ?? key}: ${text}`).join('; ')}
          </Typography>
        )}
      </Box>
    </Box>
  );
}
