/**
 * The chosen person's motion as a track for the editor: only their poses, retargeted onto the
 * character's reference pose (the CLI's `extract --track --retarget`, `framesToTrack`), reduced
 * to keyframes within the tolerance. Without a placed pose the motion stays on the video's canvas.
 */
import { ApiError } from '#shared/api/errors';
import type { Character } from '#shared/api/model';
import type { VideoMotion } from '#shared/api/videoImport';
import { fromPoseTrack, TrackSchema } from '#shared/project/index';
import { POINTS_LENGTH, STRIDE, type PoseTrack } from '#shared/pose/types';
import { framesToTrack } from '#main/engine/extract/toTrack';
import { onlyPerson } from './people';
import type { ExtractedVideo } from './videoImportJob';

/** The character's reference pose as 136×3 numbers, or null when no joint is placed. */
function referencePose(character: Character | null): Float64Array | null {
  if (!character || character.pictureWidth < 1 || character.pictureHeight < 1) return null;
  const pose = new Float64Array(POINTS_LENGTH);
  let placed = 0;
  for (const j of character.joints) {
    if (!(j.confidence > 0 && Number.isFinite(j.x) && Number.isFinite(j.y))) continue;
    pose[j.index * STRIDE] = j.x;
    pose[j.index * STRIDE + 1] = j.y;
    pose[j.index * STRIDE + 2] = Math.min(1, j.confidence);
    placed++;
  }
  return placed > 0 ? pose : null;
}

/**
 * Keyframes made at the video's rate moved onto the project's frames (the same instants). The
 * video's rate is never above the project's, so two keys never land on one frame.
 */
function onProjectFrames(track: PoseTrack, fps: number, projectFps: number): PoseTrack {
  if (fps === projectFps) return track;
  const scale = projectFps / fps;
  return {
    ...track,
    people: track.people.map((p) => ({
      ...p,
      keyframes: p.keyframes.map((k) => ({ ...k, frame: Math.round(k.frame * scale) })),
    })),
  };
}

export function videoMotion(
  extracted: ExtractedVideo,
  personId: number,
  character: Character | null,
  tolerance = 2,
): VideoMotion {
  const frames = onlyPerson(extracted.frames, personId);
  if (!frames.some((f) => f.people.length > 0))
    throw new ApiError('not-found', `nobody with id ${personId} in ${extracted.fileName}`);
  const pose = referencePose(character);
  let result: ReturnType<typeof framesToTrack>;
  let retargeted = false;
  try {
    result = framesToTrack(frames, {
      tolerance,
      ...(pose && character
        ? {
            character: pose,
            characterSize: { width: character.pictureWidth, height: character.pictureHeight },
          }
        : {}),
    });
    retargeted = pose !== null;
  } catch {
    // A reference pose too incomplete to retarget onto: the motion as it was filmed.
    result = framesToTrack(frames, { tolerance });
  }
  const track0 = onProjectFrames(result.track, extracted.fps, extracted.projectFps);
  const name = extracted.fileName.replace(/\.[^.]*$/, '') || 'Video';
  const track = TrackSchema.parse(
    fromPoseTrack(track0, { id: 'video', name, fps: extracted.projectFps }),
  );
  return {
    track,
    frames: frames.length,
    keyframes: result.track.people.reduce((n, p) => n + p.keyframes.length, 0),
    maxError: result.maxError,
    retargeted,
  };
}
