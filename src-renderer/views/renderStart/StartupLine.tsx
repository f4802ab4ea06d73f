import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import { useEffect, useRef, useState } from 'react';
import { startupText, type RenderStartup } from '#shared/render/progress';
import { waitedText } from '../jobProgress';

/**
 * What a render waits for before its first frame ("Starting engines (1/2)… 6 s"), with a moving
 * bar: the counts come from the host as engines come up; the seconds tick here between them.
 */
export function StartupLine({ startup }: { startup: RenderStartup }) {
  // When this count arrived: its elapsedMs was taken then, on the host's clock.
  const arrived = useRef<{ of: RenderStartup; at: number }>({ of: startup, at: Date.now() });
  if (arrived.current.of !== startup) arrived.current = { of: startup, at: Date.now() };
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  const elapsed = startup.elapsedMs + (Date.now() - arrived.current.at);
  return (
    <>
      <LinearProgress
        variant="indeterminate"
        sx={{ my: 1, height: 8, borderRadius: 4 }}
        data-testid="job-progress"
        aria-label="Render starting"
      />
      <Typography
        variant="caption"
        color="text.secondary"
        data-testid="job-startup"
        data-step={startup.step}
        data-ready={startup.ready}
        data-total={startup.total}
      >
        {/* Only the step is announced: the seconds change every second. */}
        <span aria-live="polite">{startupText(startup)}</span> {waitedText(elapsed)}
      </Typography>
    </>
  );
}
