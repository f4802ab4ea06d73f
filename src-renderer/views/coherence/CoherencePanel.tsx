import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { CoherenceReport } from '#shared/api/coherence';
import type { RenderJob } from '#shared/api/index';
import { coherenceLine, summarizeCoherence } from '#shared/render/coherence/summary';
import { api } from '../../api/client';
import { attempt, useStudio } from '../../state/store';
import { coherencePlot, type SeamMarker } from './plotData';

const BOX = { width: 800, height: 120 };

/** The overlap a "Re-render with more overlap" asks for: doubled (≥ +4), below the segment length. */
export function moreOverlap(job: RenderJob): number | null {
  const { segmentOverlap, segmentLength } = job.settings;
  const next = Math.min(segmentLength - 1, Math.max(segmentOverlap * 2, segmentOverlap + 4));
  return next > segmentOverlap ? next : null;
}

/**
 * The coherence report of the render being played: flicker and colour drift along the timeline,
 * segment seams as markers (flagged ones red). A marker is a button (Tab, Enter): it stops the
 * player on the seam's frame. The same numbers are in the table below, for screen readers.
 */
export function CoherencePanel() {
  const jobId = useStudio((s) => s.playing);
  const job = useStudio((s) => s.jobs.find((j) => j.id === jobId));
  const seekTo = useStudio((s) => s.seekTo);
  const [report, setReport] = useState<CoherenceReport | null>(null);
  const [chosen, setChosen] = useState<SeamMarker | null>(null);
  const done = job?.progress.stage === 'done';
  useEffect(() => {
    setReport(null);
    setChosen(null);
    if (!jobId || !done) return;
    let live = true;
    void attempt(() => api.call('render.coherence', { jobId })).then((r) => {
      if (live && r) setReport(r);
    });
    return () => {
      live = false;
    };
  }, [jobId, done]);
  if (!job || !report) return null;
  const plot = coherencePlot(report, BOX);
  const summary = summarizeCoherence(report);
  const choose = (s: SeamMarker) => {
    setChosen(s);
    seekTo(s.frame);
  };
  const overlap = moreOverlap(job);
  const rerender = () =>
    void attempt(() =>
      api.call('render.start', { settings: { ...job.settings, segmentOverlap: overlap! } }),
    );
  return (
    <Card data-testid="coherence-report">
      <CardContent>
        <Typography variant="h6" gutterBottom>
          Coherence report
        </Typography>
        <Typography variant="body2" data-testid="coherence-summary" sx={{ mb: 1 }}>
          {coherenceLine(summary, job.settings.from).replace(/^coherence: /, '')}
        </Typography>
        <Box sx={{ overflowX: 'auto' }}>
          <svg
            viewBox={`-8 -8 ${BOX.width + 16} ${BOX.height + 24}`}
            width="100%"
            role="group"
            aria-label="Flicker and colour drift along the video, with segment seams"
            data-testid="coherence-plot"
          >
            <rect x={0} y={0} width={BOX.width} height={BOX.height} fill="#1e1e1e" />
            <polyline points={plot.flicker} fill="none" stroke="#4fc3f7" strokeWidth={1.5} />
            <polyline points={plot.drift} fill="none" stroke="#ffb74d" strokeWidth={1.5} />
            {plot.background && (
              <polyline
                points={plot.background}
                fill="none"
                stroke="#aed581"
                strokeWidth={1}
                strokeDasharray="4 3"
              />
            )}
            {plot.seams.map((s) => (
              <g
                key={s.frame}
                role="button"
                tabIndex={0}
                aria-label={s.label}
                aria-pressed={chosen?.frame === s.frame}
                data-testid="seam-marker"
                data-flagged={s.flagged}
                data-frame={s.frame}
                style={{ cursor: 'pointer' }}
                onClick={() => choose(s)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    choose(s);
                  }
                }}
              >
                <title>{s.label}</title>
                <line
                  x1={s.x}
                  x2={s.x}
                  y1={0}
                  y2={BOX.height}
                  stroke={s.flagged ? '#ef5350' : '#9e9e9e'}
                  strokeWidth={s.flagged ? 3 : 1}
                  strokeDasharray={s.flagged ? undefined : '3 3'}
                />
                <circle
                  cx={s.x}
                  cy={BOX.height + 8}
                  r={chosen?.frame === s.frame ? 7 : 5}
                  fill={s.flagged ? '#ef5350' : '#9e9e9e'}
                />
              </g>
            ))}
          </svg>
        </Box>
        <Typography variant="caption" color="text.secondary" component="p">
          <span style={{ color: '#4fc3f7' }}>━</span> flicker (0–1) ·{' '}
          <span style={{ color: '#ffb74d' }}>━</span> character colour drift ·{' '}
          <span style={{ color: '#aed581' }}>┅</span> background drift (ΔE, top = {plot.driftScale})
          · <span style={{ color: '#ef5350' }}>┃</span> flagged seam
        </Typography>
        {chosen && (
          <Alert
            severity={chosen.flagged ? 'warning' : 'info'}
            sx={{ mt: 1 }}
            data-testid="seam-details"
            action={
              chosen.flagged && overlap !== null ? (
                <Button color="inherit" size="small" onClick={rerender} data-testid="seam-rerender">
                  Re-render with more overlap
                </Button>
              ) : undefined
            }
          >
            {chosen.label}.{' '}
            {chosen.flagged
              ? overlap !== null
                ? `The player shows frame ${chosen.frame + job.settings.from}. More overlap (${job.settings.segmentOverlap} → ${overlap} frames) blends the segments; only the segments that change are rendered again.`
                : `The player shows frame ${chosen.frame + job.settings.from}. The overlap is already as long as the segments allow.`
              : `The player shows frame ${chosen.frame + job.settings.from}.`}
          </Alert>
        )}
        <Table size="small" sx={{ mt: 1 }} aria-label="Seams" data-testid="seam-table">
          <TableHead>
            <TableRow>
              <TableCell>Seam at frame</TableCell>
              <TableCell align="right">Score</TableCell>
              <TableCell>Flagged</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {plot.seams.map((s) => (
              <TableRow key={s.frame}>
                <TableCell>{s.frame + job.settings.from}</TableCell>
                <TableCell align="right">{s.score === null ? '—' : s.score.toFixed(2)}</TableCell>
                <TableCell>{s.flagged ? 'yes' : 'no'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}
