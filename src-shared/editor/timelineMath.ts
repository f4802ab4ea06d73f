import type { Keyframe } from '#shared/pose/types';
import { lowerBound } from './commands';

/** Horizontal mapping of the timeline: the frame at the left edge and the zoom. */
export interface TimelineView {
  startFrame: number;
  pxPerFrame: number;
}

export const MIN_PX_PER_FRAME = 0.02; // 10,000 frames in 200 px
export const MAX_PX_PER_FRAME = 60;

export function frameToX(frame: number, v: TimelineView): number {
  return (frame - v.startFrame) * v.pxPerFrame;
}

export function xToFrame(x: number, v: TimelineView): number {
  return v.startFrame + x / v.pxPerFrame;
}

/** The whole frame under x, clamped to [0, frameCount − 1]. */
export function xToFrameSnapped(x: number, v: TimelineView, frameCount: number): number {
  return Math.min(Math.max(Math.round(xToFrame(x, v)), 0), Math.max(frameCount - 1, 0));
}

/** Zoom by `factor` keeping the frame under `anchorX` where it is (wheel zoom). */
export function zoomAt(v: TimelineView, factor: number, anchorX: number): TimelineView {
  const px = Math.min(Math.max(v.pxPerFrame * factor, MIN_PX_PER_FRAME), MAX_PX_PER_FRAME);
  const anchorFrame = xToFrame(anchorX, v);
  return { pxPerFrame: px, startFrame: anchorFrame - anchorX / px };
}

/** A view showing frames [0, frameCount − 1] in `widthPx`, with `padPx` free on both sides. */
export function fitView(frameCount: number, widthPx: number, padPx = 12): TimelineView {
  const px = Math.min(
    Math.max((widthPx - 2 * padPx) / Math.max(frameCount - 1, 1), MIN_PX_PER_FRAME),
    MAX_PX_PER_FRAME,
  );
  return { startFrame: -padPx / px, pxPerFrame: px };
}

/** Scroll so that `frame` is visible, with a margin; returns the same view when it already is. */
export function scrollToShow(
  v: TimelineView,
  frame: number,
  widthPx: number,
  marginPx = 40,
): TimelineView {
  const x = frameToX(frame, v);
  if (x < marginPx) return { ...v, startFrame: frame - marginPx / v.pxPerFrame };
  if (x > widthPx - marginPx)
    return { ...v, startFrame: frame - (widthPx - marginPx) / v.pxPerFrame };
  return v;
}

export const RULER_UNITS = ['frames', 'seconds'] as const;
export type RulerUnit = (typeof RULER_UNITS)[number];

export interface RulerTick {
  frame: number;
  x: number;
  label?: string;
}

/** `m:ss` (whole seconds) or `s.ff`-style `m:ss+ff` when the frame is not on a second. */
export function formatTime(frame: number, fps: number): string {
  const whole = Math.floor(frame / fps);
  const rest = frame - whole * fps;
  const m = Math.floor(whole / 60);
  const s = whole % 60;
  const base = `${m}:${String(s).padStart(2, '0')}`;
  return rest ? `${base}+${rest}` : base;
}

function frameSteps(unit: RulerUnit, fps: number): number[] {
  const decades = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000];
  if (unit === 'frames') return decades;
  const sub = [1, 2, 5, 10].filter((f) => f < fps && fps % f === 0);
  const secs = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600].map((s) => s * fps);
  return [...sub, ...secs];
}

/**
 * Ruler ticks for the visible range: labelled major ticks at least `minMajorPx` apart on round
 * numbers of frames or seconds, and minor ticks (a fifth or a half of a major step) between.
 */
export function rulerTicks(
  v: TimelineView,
  widthPx: number,
  fps: number,
  unit: RulerUnit,
  minMajorPx = 80,
): { major: RulerTick[]; minor: RulerTick[]; step: number } {
  const steps = frameSteps(unit, fps);
  const step = steps.find((s) => s * v.pxPerFrame >= minMajorPx) ?? steps[steps.length - 1]!;
  const minorStep = [step / 5, step / 2, step / 4].find(
    (m) => Number.isInteger(m) && m * v.pxPerFrame >= 6,
  );
  const first = Math.max(0, Math.floor(v.startFrame / step) * step);
  const last = xToFrame(widthPx, v);
  const major: RulerTick[] = [];
  const minor: RulerTick[] = [];
  for (let f = first; f <= last; f += step) {
    major.push({
      frame: f,
      x: frameToX(f, v),
      label: unit === 'frames' ? String(f) : formatTime(f, fps),
    });
    if (minorStep)
      for (let m = f + minorStep; m < f + step && m <= last; m += minorStep)
        minor.push({ frame: m, x: frameToX(m, v) });
  }
  return { major, minor, step };
}

/** Index range [from, to) of keyframes whose frame lies in [startFrame, endFrame] (binary search). */
export function visibleKeyframes(
  keys: readonly Keyframe[],
  startFrame: number,
  endFrame: number,
): [number, number] {
  return [lowerBound(keys, startFrame), lowerBound(keys, Math.floor(endFrame) + 1)];
}

/** The keyframe nearest to pixel x within `tolerancePx`, for clicking and dragging keys. */
export function keyframeNearX(
  keys: readonly Keyframe[],
  x: number,
  v: TimelineView,
  tolerancePx = 6,
): Keyframe | undefined {
  const f = xToFrame(x, v);
  const i = lowerBound(keys, f);
  let best: Keyframe | undefined;
  let bestD = tolerancePx;
  for (const k of [keys[i - 1], keys[i]]) {
    if (!k) continue;
    const d = Math.abs(frameToX(k.frame, v) - x);
    if (d <= bestD) {
      best = k;
      bestD = d;
    }
  }
  return best;
}
