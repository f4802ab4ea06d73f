import { fitCanvas } from '#shared/render/fitFrame';
import { retargetPose } from '#shared/pose/retarget';
import { PoseTrackEvaluator } from '#shared/pose/track';
import { BODY_COUNT } from '#shared/pose/skeleton';
import { STRIDE, type PoseFrame, type PoseTrack } from '#shared/pose/types';

/**
 * A motion chosen in the motion picker, made the project's: its keys moved to the project
 * track's frame rate and, when the character has a pose, each person retargeted onto the
 * character's proportions on the character's picture — the mapping the render and the CLI's
 * extraction use (canvas fitted onto the picture, then `retargetPose` with the person's first
 * key as the driving reference, so root motion is kept relative to where the character stands).
 * Without a character pose the motion keeps its own canvas (the render fits it at render time).
 */
export function motionForCharacter(
  motion: PoseTrack,
  fps: { motion: number; project: number },
  character: PoseFrame | null,
): PoseTrack {
  const ratio = fps.project / fps.motion;
  const onto = character?.people[0]?.points;
  const canvas = onto && character ? { width: character.width, height: character.height } : motion;
  return {
    width: canvas.width,
    height: canvas.height,
    people: motion.people.map((lane) => {
      const first = lane.keyframes[0];
      const reference = first && onto ? fitCanvas(first.points, motion, canvas) : null;
      const seen = new Set<number>();
      const keyframes = [];
      for (const k of lane.keyframes) {
        const frame = Math.round(k.frame * ratio);
        if (seen.has(frame)) continue; // a slower project rate merges keys onto one frame
        seen.add(frame);
        const fitted = fitCanvas(k.points, motion, canvas);
        const points =
          onto && reference
            ? retargetPose(fitted, onto, { drivingReference: reference })
            : Float64Array.from(fitted);
        keyframes.push({ id: k.id, frame, points, easing: { ...k.easing } });
      }
      return { ...lane, keyframes };
    }),
  };
}

/** A motion's body as a small looping animation: what the picker's thumbnails draw. */
export interface MotionPreview {
  width: number;
  height: number;
  fps: number;
  /** Per frame: x, y of the 18 body points (null where a point is missing), rounded to 0.1 px. */
  frames: (number | null)[][];
}

/**
 * Samples the first person of a track at `fps` (at most `maxFrames` frames spread over the whole
 * motion). Body points only: a 96-px thumbnail cannot show fingers, and the list stays small.
 */
export function motionPreview(
  track: PoseTrack,
  trackFps: number,
  options: { fps?: number; maxFrames?: number } = {},
): MotionPreview {
  const fps = options.fps ?? 8;
  const maxFrames = options.maxFrames ?? 120;
  const lane = track.people.find((p) => p.keyframes.length > 0);
  if (!lane) return { width: track.width, height: track.height, fps, frames: [] };
  const last = lane.keyframes[lane.keyframes.length - 1]!.frame;
  const seconds = (last + 1) / trackFps;
  const count = Math.max(1, Math.min(maxFrames, Math.round(seconds * fps)));
  const evaluator = new PoseTrackEvaluator({ ...track, people: [lane] });
  const frame = evaluator.createFrame();
  const frames: (number | null)[][] = [];
  for (let i = 0; i < count; i++) {
    evaluator.evaluateInto((i / count) * (last + 1), frame);
    const p = frame.people[0]!.points;
    const row: (number | null)[] = [];
    for (let j = 0; j < BODY_COUNT; j++) {
      const present = p[j * STRIDE + 2]! > 0;
      row.push(
        present ? Math.round(p[j * STRIDE]! * 10) / 10 : null,
        present ? Math.round(p[j * STRIDE + 1]! * 10) / 10 : null,
      );
    }
    frames.push(row);
  }
  return { width: track.width, height: track.height, fps: count / seconds, frames };
}
