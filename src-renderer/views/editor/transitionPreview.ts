import type { TransitionPreview } from '#shared/api/index';

/**
 * The transition preview's frame maths and words: which frames around a boundary are rendered,
 * how the player steps through them, and what its progress line and readout say.
 */

/** Frames [from, to) rendered around `boundary`, `side` each way, inside the render range. */
export function previewFrames(
  boundary: number,
  range: { from: number; to: number } | null,
  side: number,
): { from: number; to: number } {
  return {
    from: Math.max(range?.from ?? 0, boundary - side),
    to: Math.min(range?.to ?? boundary + side, boundary + side),
  };
}

/** Slowest and fastest frame steps of the player, in ms (1 fps … 120 fps). */
const SLOWEST_MS = 1000;
const FASTEST_MS = 1000 / 120;

/** Time between two frames at `fps`, kept to a sane range (a 0 fps preview must not spin). */
export function frameIntervalMs(fps: number): number {
  if (!(fps > 0) || !Number.isFinite(fps)) return SLOWEST_MS;
  return Math.min(SLOWEST_MS, Math.max(FASTEST_MS, 1000 / fps));
}

/** The next frame index: on to the last frame, then stay there or start again when looping. */
export function nextFrameIndex(index: number, frameCount: number, loop: boolean): number {
  if (frameCount <= 0) return 0;
  if (index + 1 < frameCount) return index + 1;
  return loop ? 0 : frameCount - 1;
}

/** "Rendering frames 12–35 (fast generator)… 1.2 s" */
export function renderingText(from: number, to: number, elapsedMs: number): string {
  const frames = to - 1 > from ? `frames ${from}–${to - 1}` : `frame ${from}`;
  return `Rendering ${frames} (fast generator)… ${(Math.max(0, elapsedMs) / 1000).toFixed(1)} s`;
}

/** "frame 23 (12/24) · 0.8 s" — the frame shown, its place in the preview, the render time. */
export function readoutText(
  preview: Pick<TransitionPreview, 'from' | 'frames' | 'renderMs'>,
  index: number,
): string {
  const n = preview.frames.length;
  if (n === 0) return 'no frames came back';
  const i = Math.min(Math.max(index, 0), n - 1);
  return `frame ${preview.from + i} (${i + 1}/${n}) · ${(preview.renderMs / 1000).toFixed(1)} s`;
}
