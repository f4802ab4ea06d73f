import { useEffect, useState } from 'react';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { farmRedisUrlSchema, type Settings, type SettingsPatch } from '#shared/api/index';

/**
 * Settings → Render farm: the Redis the farm's workers listen to (docs/farm.md). With a URL set,
 * puppet renders go to the farm's workers; empty renders on this machine. Each field is saved
 * when it loses focus, if valid.
 */
export function FarmSettings({
  settings,
  save,
}: {
  settings: Settings;
  save: (patch: SettingsPatch) => Promise<void>;
}) {
  const [url, setUrl] = useState(settings.farmRedisUrl);
  const [listen, setListen] = useState(settings.farmListen);
  const [advertise, setAdvertise] = useState(settings.farmAdvertise);
  useEffect(() => setUrl(settings.farmRedisUrl), [settings.farmRedisUrl]);
  const urlProblem = farmRedisUrlSchema.safeParse(url.trim()).success
    ? null
    : 'Use redis://:password@host:6379 (or rediss:// for TLS), or leave it empty.';
  return (
    <Card>
      <CardContent>
        <Typography variant="h6" gutterBottom>
          Render farm
        </Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          Puppet renders go to the machines running <code>pose-studio farm worker</code> on this
          Redis. Leave it empty to render on this machine. Diffusion renders always run here.
        </Typography>
        <Stack spacing={2} sx={{ maxWidth: 560 }}>
          <TextField
            label="Farm Redis URL"
            type="password"
            autoComplete="off"
            placeholder="redis://:password@farm-redis:6379"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            onBlur={() =>
              !urlProblem &&
              url.trim() !== settings.farmRedisUrl &&
              void save({ farmRedisUrl: url.trim() })
            }
            error={urlProblem !== null}
            helperText={urlProblem ?? 'Hidden because it holds the password.'}
            slotProps={{ htmlInput: { 'data-testid': 'farm-redis-url' } }}
          />
          <TextField
            label="Listen on (host[:port])"
            placeholder="127.0.0.1 — use 0.0.0.0 for workers on other machines"
            value={listen}
            onChange={(e) => setListen(e.target.value)}
            onBlur={() =>
              listen.trim() !== settings.farmListen && void save({ farmListen: listen.trim() })
            }
            helperText="Where workers fetch the picture and send back segments."
          />
          <TextField
            label="Workers reach this machine as"
            placeholder="my-workstation.local"
            value={advertise}
            onChange={(e) => setAdvertise(e.target.value)}
            onBlur={() =>
              advertise.trim() !== settings.farmAdvertise &&
              void save({ farmAdvertise: advertise.trim() })
            }
          />
        </Stack>
      </CardContent>
    </Card>
  );
}
