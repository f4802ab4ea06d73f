import { useEffect, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import {
  executionProviderPreferences,
  SEGMENT_CACHE_LIMIT_GB,
  type CacheUsageView,
  type EngineInfo,
  type SettingsPatch,
} from '#shared/api/index';
import { providerLabel } from '#shared/providers/providerProblems';
import { api } from '../api/client';
import { attempt, useStudio } from '../state/store';
import { cacheUsageText, parseCacheLimit } from './cacheSettings';
import { FarmSettings } from './farm/FarmSettings';
import { ProviderProblems } from './ProviderProblems';
import { MemoryBudgetField } from './MemoryBudgetField';

/**
 * Engine and paths: which execution providers this machine has, ffmpeg, model pack folders; the
 * render cache limit with the open project's cache size.
 */
export function SettingsView() {
  const settings = useStudio((s) => s.settings);
  const servicesEngine = useStudio((s) => s.info?.services.engine ?? false);
  const [engine, setEngine] = useState<EngineInfo | null>(null);
  const [ffmpeg, setFfmpeg] = useState(settings?.ffmpegPath ?? '');
  const [packs, setPacks] = useState((settings?.modelPackFolders ?? []).join('\n'));
  const [cacheLimit, setCacheLimit] = useState(String(settings?.segmentCacheLimitGB ?? ''));
  useEffect(() => {
    if (settings) setCacheLimit(String(settings.segmentCacheLimitGB));
  }, [settings?.segmentCacheLimitGB]);
  const projectPath = useStudio((s) => s.project?.path ?? null);
  const [usage, setUsage] = useState<CacheUsageView | null>(null);
  // The open project's cache size: one directory walk, asked when the page opens.
  useEffect(() => {
    setUsage(null);
    if (projectPath) void attempt(() => api.call('cache.usage', {})).then((u) => u && setUsage(u));
  }, [projectPath, settings?.segmentCacheLimitGB]);

  const refreshEngine = () =>
    void attempt(() => api.call('engine.info', {})).then((e) => e && setEngine(e));
  useEffect(() => {
    if (servicesEngine) refreshEngine();
  }, [servicesEngine, settings?.executionProvider]);
  // Crash reports carry no provider list: keep what we know and show the new state.
  useEffect(
    () =>
      api.on('engine.status', (s) =>
        setEngine((prev) =>
          s.providers.length > 0 || !prev
            ? s
            : { ...prev, state: s.state, ...(s.message ? { message: s.message } : {}) },
        ),
      ),
    [],
  );

  const save = async (patch: SettingsPatch) => {
    const next = await attempt(() => api.call('settings.update', patch));
    if (next) useStudio.setState({ settings: next });
  };
  if (!settings) return null;
  const limit = parseCacheLimit(cacheLimit);

  return (
    <Stack spacing={2} sx={{ maxWidth: 900 }}>
      <Card>
        <CardContent>
          <Typography variant="h6" gutterBottom>
            Engine
          </Typography>
          <TextField
            select
            label="Execution provider"
            value={settings.executionProvider}
            onChange={(e) =>
              void save({ executionProvider: e.target.value as SettingsPatch['executionProvider'] })
            }
            sx={{ minWidth: 280 }}
          >
            {executionProviderPreferences.map((p) => (
              <MenuItem key={p} value={p}>
                {providerLabel(p)}
              </MenuItem>
            ))}
          </TextField>
          <Typography variant="subtitle2" sx={{ mt: 2 }}>
            On this machine
          </Typography>
          {engine ? (
            <Box data-testid="providers">
              <Stack direction="row" spacing={1} sx={{ my: 1, flexWrap: 'wrap' }}>
                {engine.providers.map((p) => (
                  <Chip
                    key={p.name}
                    label={`${p.name}${p.available ? '' : ' (not available)'}`}
                    color={
                      p.name === engine.selected ? 'primary' : p.available ? 'default' : 'default'
                    }
                    variant={p.available ? 'filled' : 'outlined'}
                    title={p.note}
                  />
                ))}
              </Stack>
              <Typography variant="body2" color="text.secondary">
                Renders use <b>{providerLabel(engine.selected)}</b> · ONNX Runtime{' '}
                {engine.ortVersion} · engine {engine.state}
              </Typography>
              <ProviderProblems engine={engine} />
            </Box>
          ) : (
            <Typography variant="body2" color="text.secondary">
              {servicesEngine ? 'Asking the engine…' : 'The engine is not connected in this build.'}
            </Typography>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardContent>
          <Typography variant="h6" gutterBottom>
            Paths
          </Typography>
          <Stack spacing={2}>
            <TextField
              label="ffmpeg"
              placeholder="empty = FFMPEG_PATH, then the bundled ffmpeg, then PATH"
              value={ffmpeg}
              onChange={(e) => setFfmpeg(e.target.value)}
              onBlur={() =>
                ffmpeg !== settings.ffmpegPath && void save({ ffmpegPath: ffmpeg.trim() })
              }
            />
            <TextField
              label="Model pack folders (one per line)"
              multiline
              minRows={2}
              value={packs}
              onChange={(e) => setPacks(e.target.value)}
            />
            <Box>
              <Button
                variant="outlined"
                onClick={() =>
                  void save({
                    modelPackFolders: packs
                      .split('\n')
                      .map((l) => l.trim())
                      .filter(Boolean),
                  })
                }
              >
                Save folders
              </Button>
            </Box>
          </Stack>
        </CardContent>
      </Card>
      <Card>
        <CardContent>
          <Typography variant="h6" gutterBottom>
            Render cache
          </Typography>
          <TextField
            label="Cache limit per project (GB)"
            type="number"
            value={cacheLimit}
            onChange={(e) => setCacheLimit(e.target.value)}
            onBlur={() =>
              'gb' in limit &&
              limit.gb !== settings.segmentCacheLimitGB &&
              void save({ segmentCacheLimitGB: limit.gb })
            }
            error={'problem' in limit}
            helperText={
              'problem' in limit
                ? limit.problem
                : 'After each render, least recently used segments beyond this are removed (never those of the render itself).'
            }
            sx={{ maxWidth: 560 }}
            slotProps={{
              htmlInput: {
                'data-testid': 'cache-limit',
                min: SEGMENT_CACHE_LIMIT_GB.min,
                max: SEGMENT_CACHE_LIMIT_GB.max,
                step: 0.5,
              },
            }}
          />
          <Typography
            variant="body2"
            color="text.secondary"
            sx={{ mt: 1 }}
            data-testid="cache-usage"
          >
            {!projectPath
              ? 'Open a project to see how much its cache takes.'
              : usage
                ? cacheUsageText(usage)
                : 'Measuring the cache…'}
          </Typography>
        </CardContent>
      </Card>
      <FarmSettings settings={settings} save={save} />
      <Card>
        <CardContent>
          <Typography variant="h6" gutterBottom>
            Diffusion memory
          </Typography>
          <MemoryBudgetField
            value={settings.memoryBudgetGB}
            onChange={(memoryBudgetGB) => void save({ memoryBudgetGB })}
          />
          <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
            Diffusion renders split their UNet calls into smaller batches to stay under this (same
            frames, more calls). Each render shows its estimated peak in the render queue, and one
            that cannot fit is refused before it starts.
          </Typography>
        </CardContent>
      </Card>
      <Card>
        <CardContent>
          <Typography variant="h6" gutterBottom>
            Appearance
          </Typography>
          <TextField
            select
            label="Theme"
            value={settings.theme}
            onChange={(e) => void save({ theme: e.target.value as 'dark' | 'light' })}
            sx={{ minWidth: 200 }}
          >
            <MenuItem value="dark">Dark</MenuItem>
            <MenuItem value="light">Light</MenuItem>
          </TextField>
        </CardContent>
      </Card>
    </Stack>
  );
}
