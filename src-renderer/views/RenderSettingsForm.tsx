import { useEffect, useRef, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import {
  generators,
  outputFormats,
  renderSettingsSchema,
  segmentStrategies,
  type RenderSettings,
} from '../../src-shared/api';
import { api } from '../api/client';
import { attempt, useStudio } from '../state/store';

const FORMAT_LABELS: Record<string, string> = {
  mp4: 'MP4 (H.264)',
  webm: 'WebM (VP9)',
  prores: 'ProRes 422 (MOV)',
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

/** Render settings, checked with the contract's schema before a job is started. */
export function RenderSettingsForm() {
  const project = useStudio((s) => s.project);
  const [settings, setSettings] = useState<RenderSettings | null>(null);
  const [starting, setStarting] = useState(false);
  const renderRequest = useStudio((s) => s.renderRequest);
  const handledRequest = useRef(renderRequest);
  const startRef = useRef<() => void>(() => undefined);

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
  const check = renderSettingsSchema.safeParse(settings);
  const problems = check.success
    ? []
    : check.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

  const start = async () => {
    setStarting(true);
    const job = await attempt(() => api.call('render.start', { settings }));
    if (job)
      useStudio.setState((s) => ({
        jobs: s.jobs.some((j) => j.id === job.id) ? s.jobs : [job, ...s.jobs],
      }));
    setStarting(false);
  };
  startRef.current = () => {
    if (check.success && !starting) void start();
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
          onChange={(e) =>
            setSettings({ ...settings, generator: e.target.value as RenderSettings['generator'] })
          }
        >
          {generators.map((g) => (
            <MenuItem key={g} value={g}>
              {g === 'puppet' ? 'Puppet (fast)' : 'Diffusion'}
            </MenuItem>
          ))}
        </TextField>
        {settings.generator === 'diffusion' && (
          <TextField
            label="Model pack"
            placeholder="folder or pack name"
            helperText="A folder, or a pack name under Settings → model pack folders"
            value={settings.pack ?? ''}
            onChange={(e) =>
              setSettings({ ...settings, pack: e.target.value === '' ? undefined : e.target.value })
            }
            slotProps={{ htmlInput: { 'data-testid': 'render-pack' } }}
            sx={{ gridColumn: 'span 2' }}
          />
        )}
        {NUMBERS.map(({ key, label }) => (
          <TextField
            key={key}
            type="number"
            label={label}
            value={settings[key]}
            onChange={(e) => setSettings({ ...settings, [key]: Number(e.target.value) })}
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
          {segmentStrategies.map((s) => (
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
          {outputFormats.map((f) => (
            <MenuItem key={f} value={f}>
              {FORMAT_LABELS[f]}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, mt: 2 }}>
        <Button
          variant="contained"
          size="medium"
          disabled={!check.success || starting}
          onClick={() => void start()}
          data-testid="start-render"
        >
          Render {check.success ? `${settings.to - settings.from} frames` : ''}
        </Button>
        {problems.length > 0 && (
          <Typography variant="body2" color="error">
            {problems.join('; ')}
          </Typography>
        )}
      </Box>
    </Box>
  );
}
