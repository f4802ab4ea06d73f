import Box from '@mui/material/Box';

/**
 * What the keyboard just did to a canvas's joints ("right wrist at 312, 140"), read out by screen
 * readers (a polite live region) and shown at the canvas's top left only while the canvas has
 * keyboard focus: `whenFocused` is the CSS selector, relative to this box (`&`), that says so.
 * Top left because the bottom corners hold the canvases' buttons.
 */
export function JointAnnouncement({
  text,
  whenFocused,
  testId,
}: {
  text: string;
  whenFocused: string;
  testId: string;
}) {
  return (
    <Box
      role="status"
      aria-live="polite"
      data-testid={testId}
      sx={{
        position: 'absolute',
        left: 8,
        top: 8,
        px: 1,
        py: 0.5,
        borderRadius: 1,
        fontSize: 12,
        color: '#e6ebf5',
        bgcolor: 'rgba(16,19,26,0.85)',
        pointerEvents: 'none',
        opacity: 0,
        [whenFocused]: { opacity: text ? 1 : 0 },
      }}
    >
      {text}
    </Box>
  );
}
