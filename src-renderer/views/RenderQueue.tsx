import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import IconButton from '@mui/material/IconButton';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import Cancel from '@mui/icons-material/Cancel';
import FolderOpen from '@mui/icons-material/FolderOpen';
import Pause from '@mui/icons-material/Pause';
import PlayArrow from '@mui/icons-material/PlayArrow';
import Refresh from '@mui/icons-material/Refresh';
import type { RenderJob, RenderProgress } from '#shared/api/index';
import { api } from '../api/client';
import { attempt, useStudio } from '../state/store';
import { FarmLanes } from './farm/FarmLanes';
import { activeStartup, jobActions, jobNumbersText, jobPercent, stageColour } from './jobProgress';
import { SegmentStrip } from './renderStart/SegmentStrip';
import { StartupLine } from './renderStart/StartupLine';

function JobRow({ job, progress }: { job: RenderJob; progress: RenderProgress }) {
  const play = useStudio((s) => s.play);
  const playing = useStudio((s) => s.playing);
  const pct = jobPercent(progress);
  const can = jobActions(progress.stage);
  const startup = activeStartup(progress);
  const act = (m: 'render.cancel' | 'render.pause' | 'render.resume') =>
    void attempt(() => api.call(m, { jobId: job.id }));
  const openFolder = async () => {
    const r = await attempt(() => api.call('render.openFolder', { jobId: job.id }));
    if (r && !r.opened) {
      useStudio
        .getState()
        .showInfo(
          `Output: ${r.output}`,
          `In the folder ${r.folder} on the machine running \`pose-studio serve\` (the browser cannot open folders there).${job.output ? ' Play it here with ▶.' : ' It appears there when the render is done.'}`,
        );
    }
  };
  const s = job.settings;
  return (
    <Box
      data-testid="render-job"
      data-job-id={job.id}
      data-stage={progress.stage}
      sx={{
        display: 'flex',
        gap: 2,
        p: 1.5,
        borderRadius: 1,
        bgcolor: playing === job.id ? 'action.selected' : 'background.default',
        alignItems: 'center',
      }}
    >
      <Box
        sx={{
          width: 96,
          height: 64,
          flexShrink: 0,
          bgcolor: '#000',
          borderRadius: 0.5,
          overflow: 'hidden',
          display: 'grid',
          placeItems: 'center',
        }}
      >
        {progress.thumbnail && typeof progress.thumbnail === 'string' ? (
          <img
            src={progress.thumbnail}
            alt="last frame"
            style={{ maxWidth: '100%', maxHeight: '100%' }}
            data-testid="job-thumbnail"
          />
        ) : (
          <Typography
            variant="caption"
            color="text.secondary"
            sx={{ px: 0.5, textAlign: 'center' }}
          >
            {startup ? 'first frame soon' : 'no frame yet'}
          </Typography>
        )}
      </Box>
      <Box sx={{ flex: 1, minWidth: 0 }}>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
          <Typography variant="body2" sx={{ fontWeight: 600 }} noWrap>
            {s.generator} · {s.width}×{s.height} · {s.format.toUpperCase()} · frames {s.from}–
            {s.to - 1}
          </Typography>
          <Chip
            size="small"
            label={progress.stage}
            color={stageColour(progress.stage)}
            data-testid="job-stage"
          />
        </Stack>
        {startup ? (
          <StartupLine startup={startup} />
        ) : (
          <>
            <LinearProgress
              variant="determinate"
              value={pct}
              sx={{ my: 1, height: 8, borderRadius: 4 }}
              data-testid="job-progress"
              aria-valuenow={Math.round(pct)}
              aria-label="Render progress"
            />
            <SegmentStrip segments={progress.segments} segmentCount={progress.segmentCount} />
            <Typography variant="caption" color="text.secondary" data-testid="job-numbers">
              {jobNumbersText(progress)}
            </Typography>
          </>
        )}
        {job.farm && <FarmLanes status={job.farm} from={s.from} to={s.to} />}
        {job.memory && (
          <Typography
            variant="caption"
            color="text.secondary"
            sx={{ display: 'block' }}
            data-testid="job-memory"
          >
            {job.memory}
          </Typography>
        )}
        {job.log && job.log.length > 0 && (
          <Box data-testid="job-log" sx={{ mt: 0.5 }}>
            {job.log.slice(-3).map((line, i) => (
              <Typography key={i} variant="caption" color="warning.main" sx={{ display: 'block' }}>
                {line}
              </Typography>
            ))}
          </Box>
        )}
        {job.error && (
          <Typography variant="caption" color="error" sx={{ display: 'block' }}>
            {job.error.message}
            {job.error.hint ? ` — ${job.error.hint}` : ''}
          </Typography>
        )}
      </Box>
      <Stack direction="row">
        {can.pause && (
          <Tooltip title="Pause">
            <IconButton
              onClick={() => act('render.pause')}
              data-testid="job-pause"
              aria-label="Pause"
            >
              <Pause />
            </IconButton>
          </Tooltip>
        )}
        {can.resume && (
          <Tooltip title="Resume">
            <IconButton
              onClick={() => act('render.resume')}
              data-testid="job-resume"
              aria-label="Resume"
            >
              <Refresh />
            </IconButton>
          </Tooltip>
        )}
        {can.cancel && (
          <Tooltip title="Cancel">
            <IconButton
              onClick={() => act('render.cancel')}
              data-testid="job-cancel"
              aria-label="Cancel"
            >
              <Cancel />
            </IconButton>
          </Tooltip>
        )}
        {job.output && (
          <Tooltip title="Play">
            <IconButton
              color="primary"
              onClick={() => play(job.id)}
              data-testid="job-play"
              aria-label="Play"
            >
              <PlayArrow />
            </IconButton>
          </Tooltip>
        )}
        <Tooltip title="Open output folder">
          <IconButton
            onClick={() => void openFolder()}
            data-testid="job-folder"
            aria-label="Open output folder"
          >
            <FolderOpen />
          </IconButton>
        </Tooltip>
      </Stack>
    </Box>
  );
}

/** All render jobs of the project, newest first, with live progress. */
export function RenderQueue() {
  const jobs = useStudio((s) => s.jobs);
  const progress = useStudio((s) => s.progress);
  if (jobs.length === 0) {
    return (
      <Typography color="text.secondary">
        No renders yet: choose settings above and press Render.
      </Typography>
    );
  }
  return (
    <Stack spacing={1} data-testid="render-queue">
      {jobs.map((job) => (
        <JobRow key={job.id} job={job} progress={progress[job.id] ?? job.progress} />
      ))}
    </Stack>
  );
}
