import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import IconButton from '@mui/material/IconButton';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import Close from '@mui/icons-material/Close';
import { useEffect, useRef } from 'react';
import { api } from '../api/client';
import { useStudio } from '../state/store';

const VIDEO = new Set(['mp4', 'webm']);

/** Plays a finished render (video formats in a <video>, GIF as a picture). */
export function PreviewPlayer() {
  const jobId = useStudio((s) => s.playing);
  const job = useStudio((s) => s.jobs.find((j) => j.id === jobId));
  const play = useStudio((s) => s.play);
  const seek = useStudio((s) => s.seek);
  const video = useRef<HTMLVideoElement>(null);
  const fps = job?.settings.fps ?? 24;
  // A seam chosen in the coherence plot: stop on its frame (the middle of the frame's time, so
  // rounding never shows the frame before).
  useEffect(() => {
    const v = video.current;
    if (!seek || !v) return;
    v.pause();
    v.currentTime = (seek.frame + 0.5) / fps;
  }, [seek, fps]);
  if (!job || !job.output) return null;
  const url = api.mediaUrl(job.output, job.id);
  const format = job.settings.format;
  return (
    <Card data-testid="preview-player">
      <CardContent>
        <Stack direction="row" sx={{ alignItems: 'center', mb: 1 }}>
          <Typography variant="subtitle2" sx={{ flex: 1 }} noWrap>
            {job.output}
          </Typography>
          <IconButton size="small" onClick={() => play(null)} aria-label="Close player">
            <Close />
          </IconButton>
        </Stack>
        <Box sx={{ bgcolor: '#000', display: 'grid', placeItems: 'center', borderRadius: 1 }}>
          {VIDEO.has(format) ? (
            <video
              key={url}
              ref={video}
              src={url}
              controls
              autoPlay
              loop
              muted
              style={{ maxWidth: '100%', maxHeight: '50vh' }}
              data-testid="preview-video"
            />
          ) : format === 'gif' ? (
            <img src={url} alt="render" style={{ maxWidth: '100%', maxHeight: '50vh' }} />
          ) : (
            <Typography sx={{ p: 4 }} color="text.secondary">
              {format === 'prores'
                ? 'ProRes plays in an editor, not in the studio:'
                : 'A PNG sequence has no player:'}{' '}
              open the output folder.
            </Typography>
          )}
        </Box>
      </CardContent>
    </Card>
  );
}
