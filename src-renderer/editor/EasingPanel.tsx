import { useRef } from 'react';
import { useStore } from 'zustand';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import type { Easing } from '#shared/pose/types';
import type { EditorStore } from './editorStore';
import { BezierEditor, type Bezier } from './BezierEditor';

const PRESETS: [string, Bezier][] = [
  ['ease', { x1: 0.25, y1: 0.1, x2: 0.25, y2: 1 }],
  ['in', { x1: 0.42, y1: 0, x2: 1, y2: 1 }],
  ['out', { x1: 0, y1: 0, x2: 0.58, y2: 1 }],
  ['in-out', { x1: 0.42, y1: 0, x2: 0.58, y2: 1 }],
];

/** Easing of the segments leaving the selected keyframes: hold, linear or a bezier curve. */

/** Tool labels read as words, not shouted. */
const noCaps = { '& .MuiToggleButton-root': { textTransform: 'none', px: 1.25, py: 0.4 } };
export function EasingPanel({ store }: { store: EditorStore }) {
  const selected = useStore(store, (s) => s.ephemeral.selectedKeyframes);
  const easing = useStore(store, (s) => {
    const r = s.ephemeral.selectedKeyframes[0];
    if (!r) return null;
    return (
      s.track.people
        .find((p) => p.personId === r.personId)
        ?.keyframes.find((k) => k.id === r.keyframeId)?.easing ?? null
    );
  });
  const gesture = useRef<string | null>(null);
  const s = store.getState();
  const set = (e: Easing, coalesce?: string) => s.setSelectedEasing(e, coalesce);
  const bez: Bezier = easing?.kind === 'bezier' ? easing : { x1: 0.42, y1: 0, x2: 0.58, y2: 1 };

  return (
    <Box
      sx={{
        width: 250,
        overflow: 'auto',
        flexShrink: 0,
        p: 1.25,
        borderLeft: 1,
        borderColor: 'divider',
        bgcolor: 'background.paper',
      }}
      data-testid="easing-panel"
    >
      <Typography variant="overline" color="text.secondary">
        Easing
      </Typography>
      {!easing ? (
        <Typography variant="body2" color="text.secondary">
          Select a keyframe to set how the motion leaves it.
        </Typography>
      ) : (
        <>
          <Typography variant="caption" color="text.secondary" component="div" sx={{ mb: 0.5 }}>
            {selected.length} keyframe{selected.length > 1 ? 's' : ''}
          </Typography>
          <ToggleButtonGroup
            sx={noCaps}
            size="small"
            exclusive
            fullWidth
            value={easing.kind}
            onChange={(_, k: Easing['kind'] | null) => {
              if (k === 'hold' || k === 'linear') set({ kind: k });
              else if (k === 'bezier') set({ kind: 'bezier', ...bez });
            }}
          >
            <ToggleButton value="hold">Hold</ToggleButton>
            <ToggleButton value="linear">Linear</ToggleButton>
            <ToggleButton value="bezier">Bezier</ToggleButton>
          </ToggleButtonGroup>
          {easing.kind === 'bezier' && (
            <Box sx={{ mt: 1, display: 'flex', alignItems: 'flex-start', gap: 1.5 }}>
              <Box sx={{ display: 'flex', flexDirection: 'column', alignItems: 'center' }}>
                <BezierEditor
                  value={bez}
                  onChange={(b) => {
                    // One undo step per handle drag.
                    gesture.current ??= `bezier-${Date.now()}`;
                    set({ kind: 'bezier', ...b }, gesture.current);
                  }}
                  onCommit={() => (gesture.current = null)}
                />
                <Typography variant="caption" sx={{ fontFamily: 'monospace' }}>
                  {bez.x1}, {bez.y1}, {bez.x2}, {bez.y2}
                </Typography>
              </Box>
              <Box sx={{ display: 'flex', flexDirection: 'column', gap: 0.5, flex: 1 }}>
                {PRESETS.map(([name, b]) => (
                  <Button
                    key={name}
                    variant="outlined"
                    sx={{ minWidth: 0, px: 1, py: 0.1, textTransform: 'none' }}
                    onClick={() => set({ kind: 'bezier', ...b })}
                  >
                    {name}
                  </Button>
                ))}
              </Box>
            </Box>
          )}
        </>
      )}
    </Box>
  );
}
