/**
 * "Detect pose" on the character: the built-in extractor runs on the character's picture in the
 * engine process, and the best person found replaces the character's reference pose (saved, so
 * the user fixes it by dragging joints; pressing the button again re-detects). Nothing is changed
 * when no picture is there or nobody is found. The pose from before the last detection is kept
 * (per project and picture) so "Undo" can put it back.
 */
import {
  ApiError,
  type Character,
  type DetectPoseResult,
  type ExecutionProviderPreference,
} from '#shared/api/index';
import { POINTS_LENGTH, STRIDE } from '#shared/pose/types';
import type { EnginePort, ProjectSession } from './ports';

/** Body (18) and feet (6) points come first in the 136-point layout. */
const BODY_AND_FEET = 24;

/** The reference pose as the character shows it (missing points are zeros). */
function poseOf(character: Character): Float64Array {
  const pose = new Float64Array(POINTS_LENGTH);
  for (const j of character.joints) {
    pose[j.index * STRIDE] = j.x;
    pose[j.index * STRIDE + 1] = j.y;
    pose[j.index * STRIDE + 2] = j.confidence;
  }
  return pose;
}

function same(a: Float64Array, b: Float64Array): boolean {
  return a.every((v, i) => v === b[i]);
}

/** Remembers the pose each detection replaced, so the user can take a detection back. */
export class PoseDetections {
  private before: {
    folder: string;
    picture: string;
    pose: Float64Array;
    /** What the last detection saved: detecting again over it keeps `pose` as the undo. */
    detected: Float64Array;
  } | null = null;

  async detect(
    project: ProjectSession,
    engine: EnginePort,
    options: { preference: ExecutionProviderPreference; minScore?: number },
  ): Promise<DetectPoseResult> {
    const previous = poseOf(await project.character());
    const result = await detectCharacterPose(project, engine, options);
    // Detecting again over an untouched detection keeps the older undo: undo goes back to the
    // user's own pose (as it was before the detections), never to an earlier detection.
    const picture = (await project.picturePath?.()) ?? '';
    const b = this.before;
    const repeated =
      b?.folder === project.folder && b.picture === picture && same(b.detected, previous);
    this.before = {
      folder: project.folder,
      picture,
      pose: repeated ? b.pose : previous,
      detected: poseOf(result.character),
    };
    return result;
  }

  /** Puts back the pose from before the last detection(s) of this picture. */
  async undo(project: ProjectSession): Promise<Character> {
    const b = this.before;
    const picture = b ? await project.picturePath?.().catch(() => null) : null;
    if (!b || b.folder !== project.folder || b.picture !== (picture ?? ''))
      throw new ApiError(
        'not-found',
        'there is no pose detection to undo for this picture',
        'Drag the joints to fix the pose by hand.',
      );
    if (!project.setReferencePose)
      throw new ApiError('unavailable', 'pose detection is not available in this build');
    const character = await project.setReferencePose(b.pose);
    this.before = null;
    return character;
  }
}

export async function detectCharacterPose(
  project: ProjectSession,
  engine: EnginePort,
  options: { preference: ExecutionProviderPreference; minScore?: number },
): Promise<DetectPoseResult> {
  if (!project.picturePath || !project.setReferencePose || !engine.extractPicturePose)
    throw new ApiError('unavailable', 'pose detection is not available in this build');
  const picture = await project.picturePath();
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
