import { useMemo } from 'react';
import { studioSteps, type StepState } from '#shared/api/index';
import { useStudio } from '../../state/store';

/**
 * The guided steps of the open project, from the studio store (null while no project is open, or
 * while its character is still loading: a step must not flash "missing" before it is known).
 */
export function useStudioSteps(): StepState[] | null {
  const project = useStudio((s) => s.project);
  const character = useStudio((s) => s.character);
  return useMemo(
    () => (project && character ? studioSteps({ project, character }) : null),
    [project, character],
  );
}
