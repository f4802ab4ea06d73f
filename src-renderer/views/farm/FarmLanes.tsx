import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import {
  farmThroughput,
  summariseFarm,
  type FarmLane,
  type FarmStatus,
} from '#shared/render/farmStatus';

const LANE_COLOUR: Record<FarmLane['state'], string> = {
  rendering: 'primary.main',
  done: 'success.main',
  failed: 'error.main',
};

const LANE_WORD: Record<FarmLane['state'], string> = {
  rendering: 'rendering',
  done: 'done',
  failed: 'lost (taken over by another worker, or failed)',
};

/**
 * A farm render's machines, one lane each along the render's frames: a block per segment the
 * worker rendered (green done, blue rendering, red lost), with its frames/s. Workers that left
 * (killed, or stopped) keep their lane, marked offline.
 */
export function FarmLanes({ status, from, to }: { status: FarmStatus; from: number; to: number }) {
  const workers = summariseFarm(status);
  const total = farmThroughput(status);
  const span = Math.max(1, to - from);
  return (
    <Box data-testid="farm-lanes" sx={{ mt: 1 }}>
      <Typography variant="caption" color="text.secondary" component="div">
        Render farm {status.redis} · {status.workers.length} worker
        {status.workers.length === 1 ? '' : 's'} online
        {total ? ` · ${total.toFixed(1)} frames/s` : ''}
      </Typography>
      <Stack spacing={0.5} sx={{ mt: 0.5 }} role="list" aria-label="Farm workers">
        {workers.map((w) => (
          <Stack
            key={w.name}
            direction="row"
            spacing={1}
            sx={{ alignItems: 'center' }}
            role="listitem"
            data-testid="farm-worker"
            data-worker={w.name}
          >
            <Typography
              variant="caption"
              noWrap
              sx={{ width: 180, flexShrink: 0 }}
              color={w.online ? 'text.primary' : 'text.secondary'}
              title={w.name}
            >
              {w.online ? '●' : '○'} {w.name}
              {w.online ? '' : ' (offline)'}
            </Typography>
            <Box
              sx={{
                position: 'relative',
                flex: 1,
                height: 12,
                bgcolor: 'action.hover',
                borderRadius: 0.5,
              }}
              aria-label={`${w.name}: ${w.segmentsDone} segments, ${w.framesDone} frames${w.rendering.length ? `, rendering segment ${w.rendering.join(', ')}` : ''}`}
              role="img"
            >
              {status.lanes
                .filter((l) => l.worker === w.name)
                .map((l) => (
                  <Tooltip
                    key={`${l.index}-${l.startedAt}`}
                    title={`Segment ${l.index} (frames ${l.start}–${l.end - 1}): ${LANE_WORD[l.state]}`}
                  >
                    <Box
                      data-testid="farm-lane"
                      data-state={l.state}
                      sx={{
                        position: 'absolute',
                        top: 1,
                        bottom: 1,
                        left: `${((l.start - from) / span) * 100}%`,
                        width: `max(2px, calc(${((l.end - l.start) / span) * 100}% - 1px))`,
                        bgcolor: LANE_COLOUR[l.state],
                        borderRadius: 0.5,
                      }}
                    />
                  </Tooltip>
                ))}
            </Box>
            <Typography variant="caption" color="text.secondary" sx={{ width: 96, flexShrink: 0 }}>
              {w.framesPerSecond ? `${w.framesPerSecond.toFixed(1)} frames/s` : '—'}
            </Typography>
          </Stack>
        ))}
      </Stack>
    </Box>
  );
}
