import type { Character } from '#shared/api/model';
import { characterState } from '#shared/api/characterState';
import { placePicture, pictureToCanvas, type Size } from '#shared/geometry/pictureCanvas';
import type { PoseTrack } from '#shared/pose/types';
import type { Command } from './commands';
import type { IdSource } from './keyframeOps';

/** True when no person of the track has a keyframe: nothing is animated yet. */
export function trackIsEmpty(track: PoseTrack): boolean {
  return track.people.every((p) => p.keyframes.length === 0);
}

/**
 * The character's reference pose on the track's canvas (the picture placed as the Editor and the
 * render place it), or null when there is no picture or no joint to key.
 */
export function characterPoseOnCanvas(
  character: Character | null,
  canvas: Size,
): Float64Array | null {
  if (!character?.picture) return null;
  const placement = placePicture(
    { width: character.pictureWidth, height: character.pictureHeight },
    canvas,
  );
  if (!placement) return null;
  const pose = Float64Array.from(characterState(character).pose);
  let present = false;
  for (let i = 2; i < pose.length; i += 3) present ||= pose[i]! > 0;
  return present ? pictureToCanvas(pose, placement) : null;
}

/**
 * The command that gives an empty track its first key: `points` (canvas pixels) at `frame` for
 * the first person, added when the track has nobody yet. Null when the track already has a key —
 * a user's keys are never replaced by the character's pose.
 */
export function seedTrackCommand(
  track: PoseTrack,
  points: Float64Array,
  frame: number,
  newId: IdSource,
): Command | null {
  if (!trackIsEmpty(track)) return null;
  const keyframe = {
    id: newId(),
    frame: Math.max(0, Math.round(frame)),
    points: new Float64Array(points),
    easing: { kind: 'linear' as const },
  };
  const first = track.people[0];
  if (first) return { type: 'putKeyframe', personId: first.personId, keyframe, replaced: null };
  return { type: 'addPerson', person: { personId: 0, keyframes: [keyframe] }, index: 0 };
}
