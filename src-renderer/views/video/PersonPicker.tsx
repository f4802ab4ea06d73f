import Box from '@mui/material/Box';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import type { VideoImportStatus } from '#shared/api/videoImport';
import { personLabel } from './videoText';

const COLOURS = ['#4fc3f7', '#ffb74d', '#81c784', '#f06292', '#ba68c8', '#fff176'];

/**
 * The people found, on the frame where most of them are seen: a numbered box on each (click
 * it) and a button per person, so the one whose motion is used can be chosen.
 */
export function PersonPicker({
  status,
  chosen,
  onChoose,
}: {
  status: VideoImportStatus;
  chosen: number | null;
  onChoose: (personId: number) => void;
}) {
  const { width, height, still, people } = status;
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
      {still && width > 0 && height > 0 && (
        <Box
          sx={{ position: 'relative', width: '100%', aspectRatio: `${width} / ${height}` }}
          data-testid="video-still"
        >
          <img
            src={still.dataUrl}
            alt={`frame ${still.frame + 1} of ${status.fileName}`}
            style={{ position: 'absolute', inset: 0, width: '100%', height: '100%' }}
          />
          <svg
            viewBox={`0 0 ${width} ${height}`}
            preserveAspectRatio="none"
            style={{ position: 'absolute', inset: 0, width: '100%', height: '100%' }}
          >
            {people.map((p, i) =>
              p.box ? (
                <g
                  key={p.id}
                  onClick={() => onChoose(p.id)}
                  style={{ cursor: 'pointer' }}
                  data-testid={`person-box-${i + 1}`}
                >
                  <rect
                    x={p.box.x - 8}
                    y={p.box.y - 8}
                    width={p.box.width + 16}
                    height={p.box.height + 16}
                    fill={chosen === p.id ? 'rgba(255,255,255,0.18)' : 'rgba(0,0,0,0.01)'}
                    stroke={COLOURS[i % COLOURS.length]}
                    strokeWidth={chosen === p.id ? 6 : 3}
                    vectorEffect="non-scaling-stroke"
                  />
                  <text
                    x={p.box.x - 4}
                    y={p.box.y + 10}
                    fill={COLOURS[i % COLOURS.length]}
                    fontSize={Math.max(14, height / 14)}
                    fontWeight="bold"
                    stroke="#000"
                    strokeWidth={0.8}
                  >
                    {i + 1}
                  </text>
                </g>
              ) : null,
            )}
          </svg>
        </Box>
      )}
      <ToggleButtonGroup
        exclusive
        size="small"
        value={chosen}
        onChange={(_, v: number | null) => v !== null && onChoose(v)}
        aria-label="person whose motion is used"
        sx={{ flexWrap: 'wrap' }}
      >
        {people.map((p, i) => (
          <ToggleButton
            key={p.id}
            value={p.id}
            data-testid={`person-${i + 1}`}
            sx={{ borderLeft: `4px solid ${COLOURS[i % COLOURS.length]} !important` }}
          >
            {personLabel(p, i, people)}
          </ToggleButton>
        ))}
      </ToggleButtonGroup>
    </Box>
  );
}
