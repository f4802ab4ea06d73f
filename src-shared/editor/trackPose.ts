import { PoseTrackEvaluator } from '#shared/pose/track';
import type { PoseFrame, PoseTrack } from '#shared/pose/types';

/**
 * `evaluateTrack` for an editor: keeps one PoseTrackEvaluator per track object, so scrubbing an
 * unchanged track reuses its compiled segments; an edit (a new track object) makes a new one.
 */
export function createTrackPose(): (track: PoseTrack, frame: number) => PoseFrame {
  let evaluator: PoseTrackEvaluator | null = null;
  return (track, frame) => {
    if (evaluator?.track !== track) evaluator = new PoseTrackEvaluator(track);
    return evaluator.evaluate(frame);
  };
}
