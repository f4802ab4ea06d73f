import Box from '@mui/material/Box';
import ButtonBase from '@mui/material/ButtonBase';
import Typography from '@mui/material/Typography';
import CheckCircle from '@mui/icons-material/CheckCircle';
import { STEP_LABEL, STEP_VIEW, STUDIO_STEPS } from '#shared/api/index';
import { useStudio } from '../../state/store';
import { useStudioSteps } from './useStudioSteps';

/**
 * Picture → Pose → Motion → Render under the top bar: where the user is, what is done, and the
 * one thing to do next. A step that cannot work yet is disabled and its reason is shown.
 */
export function StepsBar() {
  const steps = useStudioSteps();
  const view = useStudio((s) => s.view);
  const setView = useStudio((s) => s.setView);
  if (!steps) return null;
  // Picture and Pose share the Character view: it is the Pose step once the picture is there.
  const characterStep = steps[0]!.done ? 'pose' : 'picture';
  const renderBlocked = steps.find((s) => s.step === 'render')!.blocker;
  return (
    <Box
      component="nav"
      aria-label="Steps"
      data-testid="steps-bar"
      sx={{
        display: 'flex',
        alignItems: 'center',
        gap: 1,
        px: 2,
        py: 0.5,
        borderBottom: 1,
        borderColor: 'divider',
        flexShrink: 0,
        flexWrap: 'wrap',
      }}
    >
      {STUDIO_STEPS.map((name, i) => {
        const step = steps.find((s) => s.step === name)!;
        const here =
          view === STEP_VIEW[name] && (STEP_VIEW[name] !== 'character' || name === characterStep);
        const blocked = step.blocker !== null;
        return (
          <Box key={name} sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
            {i > 0 && (
              <Typography aria-hidden color="text.secondary">
                →
              </Typography>
            )}
            <ButtonBase
              data-testid={`step-${name}`}
              data-done={step.done}
              disabled={blocked}
              aria-current={here ? 'step' : undefined}
              title={step.blocker?.message ?? `Go to ${STEP_LABEL[name]}`}
              onClick={() => setView(STEP_VIEW[name])}
              sx={{
                gap: 0.75,
                px: 1,
                py: 0.5,
                borderRadius: 1,
                color: blocked ? 'text.disabled' : here ? 'primary.main' : 'text.primary',
                bgcolor: here ? 'action.selected' : 'transparent',
              }}
            >
              {step.done ? (
                <CheckCircle fontSize="small" color="success" aria-label="done" />
              ) : (
                <Box
                  component="span"
                  aria-hidden
                  sx={{
                    width: 20,
                    height: 20,
                    borderRadius: '50%',
                    border: 1,
                    display: 'grid',
                    placeItems: 'center',
                    fontSize: 12,
                  }}
                >
                  {i + 1}
                </Box>
              )}
              <Typography variant="body2">{STEP_LABEL[name]}</Typography>
            </ButtonBase>
          </Box>
        );
      })}
      <Typography
        variant="body2"
        color="text.secondary"
        data-testid="next-step"
        sx={{ ml: 2, flex: 1, minWidth: 240 }}
      >
        {renderBlocked ? `Next: ${renderBlocked.message}` : 'Ready to render.'}
      </Typography>
    </Box>
  );
}
