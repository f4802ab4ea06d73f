/** `character.restorePicture`: the undo of a picture replacement (see src-shared/api/pictureRestore.ts). */
import { ApiError } from '#shared/api/errors';
import type { Character } from '#shared/api/model';
import type { ProjectSession } from './ports';

export function restorePicture(
  project: ProjectSession,
  p: { picture: string; mask: string | null },
): Promise<Character> {
  if (!project.restorePicture)
    throw new ApiError('unavailable', 'this build cannot put a picture back');
  return project.restorePicture(p.picture, p.mask);
}
