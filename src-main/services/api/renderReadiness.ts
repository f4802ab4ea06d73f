import { ApiError, STEP_LABEL, renderBlocker } from '#shared/api/index';
import type { ProjectSession } from './ports';

/**
 * Refuses a render the studio knows cannot work (no picture, no pose, or a motion without keys)
 * with the same words the Render button shows, before the render job reads project.json and
 * fails on one of its fields. The desktop menu's "Render Now" and any other client get the same
 * answer as the button.
 */
export async function checkRenderReady(project: ProjectSession): Promise<void> {
  const blocker = renderBlocker({
    project: project.summary(),
    character: await project.character(),
  });
  if (blocker)
    throw new ApiError(
      'conflict',
      `cannot render yet: the ${STEP_LABEL[blocker.needs]} step is not done`,
      blocker.message,
    );
}
