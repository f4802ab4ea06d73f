import Box from '@mui/material/Box';
import Tooltip from '@mui/material/Tooltip';
import type { SegmentStripState } from '#shared/render/segmentStrip';
import { readSegmentStrip } from '#shared/render/segmentStrip';
import { stripLabel } from '../jobProgress';

/** Theme colours of the strip's states (waiting is the track of the progress bar). */
const COLOUR: Record<SegmentStripState, string> = {
  queued: 'action.disabledBackground',
  rendering: 'warning.main',
  done: 'success.main',
  cached: 'info.main',
};

/**
 * One cell per segment of a running render (or per group of neighbouring segments in a long
 * one): waiting, rendering, in the video, or taken from the cache.
 */
export function SegmentStrip({
  segments,
  segmentCount,
}: {
  segments: unknown;
  segmentCount: unknown;
}) {
  const cells = readSegmentStrip(segments);
  if (cells.length === 0) return null;
  const label = stripLabel(cells, segmentCount);
  return (
    <Tooltip title={label}>
      <Box
        role="img"
        aria-label={label}
        data-testid="segment-strip"
        data-cells={cells.map((c) => c[0]).join('')}
        sx={{ display: 'flex', gap: cells.length > 60 ? 0 : '2px', height: 6, mb: 0.5 }}
      >
        {cells.map((state, i) => (
          <Box
            key={i}
            data-state={state}
            sx={{ flex: 1, minWidth: 0, bgcolor: COLOUR[state], borderRadius: 0.5 }}
          />
        ))}
      </Box>
    </Tooltip>
  );
}
