import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { STEP_LABEL, STEP_VIEW, type StepBlocker } from '#shared/api/index';
import { useStudio } from '../../state/store';
import { useStudioSteps } from './useStudioSteps';

/**
 * Why the Render button is off (null: it can render). While the character is still loading the
 * answer is "not yet" without a reason, so the button never flashes on before it is known.
 */
export function useRenderBlocker(): StepBlocker | null {
  const steps = useStudioSteps();
  if (!steps) return { needs: 'picture', message: '' };
  return steps.find((s) => s.step === 'render')!.blocker;
}

/** Beside the disabled Render button: what is missing, how to fix it, and a way there. */
export function RenderBlockedNote({ blocker }: { blocker: StepBlocker }) {
  const setView = useStudio((s) => s.setView);
  if (!blocker.message) return null;
  return (
    <>
      <Typography variant="body2" color="text.primary" data-testid="render-blocked" role="status">
        {blocker.message}
      </Typography>
      <Button
        size="small"
        variant="outlined"
        data-testid="render-blocked-go"
        onClick={() => setView(STEP_VIEW[blocker.needs])}
        sx={{ whiteSpace: 'nowrap' }}
      >
        Go to {STEP_LABEL[blocker.needs]}
      </Button>
    </>
  );
}
