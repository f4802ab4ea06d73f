/**
 * "Detect pose" on the character: the built-in extractor runs on the character's picture in the
 * engine process, and the best person found replaces the character's reference pose (saved, so
 * the user fixes it by dragging joints; pressing the button again re-detects). Nothing is changed
 * when no picture is there or nobody is found.
 */
import {
  ApiError,
  type DetectPoseResult,
  type ExecutionProviderPreference,
} from '../../../src-shared/api';
import { STRIDE } from '../../../src-shared/pose/types';
import type { EnginePort, ProjectSession } from './ports';

/** Body (18) and feet (6) points come first in the 136-point layout. */
const BODY_AND_FEET = 24;

export async function detectCharacterPose(
  project: ProjectSession,
  engine: EnginePort,
  options: { preference: ExecutionProviderPreference; minScore?: number },
): Promise<DetectPoseResult> {
  if (!project.picturePath || !project.setReferencePose || !engine.extractPicturePose)
    throw new ApiError('unavailable', 'pose detection is not available in this build');
  const picture = project.picturePath();
  if (!picture)
    throw new ApiError('not-found', 'the character has no picture yet', 'Import a picture first.');
  const found = await engine.extractPicturePose(
    options.preference,
    picture,
    options.minScore !== undefined ? { minScore: options.minScore } : {},
  );
  const best = found.people[0];
  if (!best)
    throw new ApiError(
      'not-found',
      'no person was found in the character picture; the pose was left as it was',
      'Place the joints by hand, or use a picture where the whole body is visible.',
    );
  let bodyJoints = 0;
  for (let i = 0; i < BODY_AND_FEET; i++) if (best[i * STRIDE + 2]! > 0) bodyJoints++;
  const character = await project.setReferencePose(best);
  return {
    character,
    people: found.people.length,
    bodyJoints,
    extractor: found.extractor,
    ms: found.ms,
  };
}
