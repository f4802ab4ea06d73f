/**
 * Dense extracted frames → an editable pose track: optionally retargeted onto a character's
 * proportions (per person, the driving reference is that person's first pose), then reduced to
 * keyframes so that playback stays within `tolerance` pixels of every extracted point.
 */
import { reduceFrames } from '#shared/pose/reduce';
import { retargetPose } from '#shared/pose/retarget';
import type { PoseFrame, PoseTrack } from '#shared/pose/types';

export interface ToTrackOptions {
  /** Largest playback error allowed, in canvas pixels (default 2). */
  tolerance?: number;
  /** The character's reference pose (136×3): when given, every person is retargeted onto it. */
  character?: Float64Array;
  /** Canvas of the character (required with `character`). */
  characterSize?: { width: number; height: number };
}

export function framesToTrack(
  frames: readonly PoseFrame[],
  options: ToTrackOptions = {},
): { track: PoseTrack; maxError: number } {
  let input = frames;
  if (options.character) {
    const character = options.character;
    const size = options.characterSize ?? {
      width: frames[0]?.width ?? 0,
      height: frames[0]?.height ?? 0,
    };
    const firstPose = new Map<number, Float64Array>();
    input = frames.map((f) => ({
      width: size.width,
      height: size.height,
      people: f.people.map((p) => {
        if (!firstPose.has(p.id)) firstPose.set(p.id, p.points);
        return {
          id: p.id,
          points: retargetPose(p.points, character, { drivingReference: firstPose.get(p.id)! }),
        };
      }),
    }));
  }
  return reduceFrames(input, { tolerance: options.tolerance ?? 2 });
}
