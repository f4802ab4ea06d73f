/** Where playback started: the playhead and the clock (ms, `performance.now()` time). */
export interface PlaybackStart {
  frame: number;
  time: number;
}

export interface PlaybackStep {
  frame: number;
  /** Playback ends here (a preview range played once, or nothing that can be played). */
  stop: boolean;
}

/**
 * The frame to show at clock time `now`: the track loops at its end; a preview range plays once
 * and stops on its last frame. Frames are counted from the start so a slow animation frame skips
 * frames instead of slowing the motion down.
 */
export function playbackStep(
  start: PlaybackStart,
  now: number,
  fps: number,
  frameCount: number,
  range: { from: number; to: number } | null,
): PlaybackStep {
  if (!(fps > 0) || !Number.isFinite(fps) || !(frameCount >= 1))
    return { frame: start.frame, stop: true };
  // An animation frame's timestamp is when the frame began, which may be a little before the
  // moment playback started: never step backwards.
  const elapsed = Math.max(0, Math.floor(((now - start.time) / 1000) * fps));
  const frame = start.frame + elapsed;
  if (range && frame > range.to) return { frame: range.to, stop: true };
  return { frame: frame % frameCount, stop: false };
}
