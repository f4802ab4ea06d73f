import type { Keyframe, PoseTrack } from '#shared/pose/types';
import type { PlanLaneSegment, SegmentState } from '#shared/editor/editorState';
import { transitionFrames } from '#shared/editor/editorState';
import type { KeyframeRef } from '#shared/editor/keyframeOps';
import type { OnionGhost } from '#shared/editor/onionSkin';
import {
  frameToX,
  rulerTicks,
  visibleKeyframes,
  xToFrame,
  type RulerUnit,
  type TimelineView,
} from '#shared/editor/timelineMath';

/** Vertical layout of the timeline canvas. */
export const RULER_H = 26;
export const LANE_H = 30;
export const PLAN_H = 26;

export type TimelineRow =
  { kind: 'ruler' } | { kind: 'person'; personId: number } | { kind: 'plan' } | { kind: 'none' };

export function rowAt(y: number, track: PoseTrack): TimelineRow {
  if (y < RULER_H) return { kind: 'ruler' };
  const lane = Math.floor((y - RULER_H) / LANE_H);
  if (lane < track.people.length) return { kind: 'person', personId: track.people[lane]!.personId };
  if (y < RULER_H + track.people.length * LANE_H + PLAN_H) return { kind: 'plan' };
  return { kind: 'none' };
}

export const STATE_COLOURS: Record<SegmentState, string> = {
  cached: '#3d6b4f',
  done: '#4caf50',
  rendering: '#f0a030',
  stale: '#6b6f7a',
};

export interface TimelinePicture {
  width: number;
  height: number;
  view: TimelineView;
  fps: number;
  unit: RulerUnit;
  frameCount: number;
  frame: number;
  track: PoseTrack;
  selected: readonly KeyframeRef[];
  plan: readonly PlanLaneSegment[];
  ghosts: readonly OnionGhost[];
}

/**
 * Draws the whole timeline with a 2D context: ruler, one keyframe lane per person, the render
 * plan lane, onion-skin marks and the playhead. Only the keyframes in view are visited (binary
 * search), so a 10,000-frame track with 1,000 keys draws in well under a millisecond.
 */
export function drawTimeline(ctx: CanvasRenderingContext2D, t: TimelinePicture): void {
  const { width, view } = t;
  ctx.clearRect(0, 0, width, t.height);
  const endX = frameToX(t.frameCount, view);
  // Out-of-range area
  ctx.fillStyle = '#15171c';
  ctx.fillRect(0, 0, width, t.height);
  ctx.fillStyle = '#1b1e24';
  const x0 = Math.max(0, frameToX(0, view));
  ctx.fillRect(x0, 0, Math.max(0, Math.min(width, endX) - x0), t.height);

  // Ruler
  const ticks = rulerTicks(view, width, t.fps, t.unit);
  ctx.fillStyle = '#23272f';
  ctx.fillRect(0, 0, width, RULER_H);
  ctx.strokeStyle = '#4a505c';
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const m of ticks.minor) {
    ctx.moveTo(Math.round(m.x) + 0.5, RULER_H - 5);
    ctx.lineTo(Math.round(m.x) + 0.5, RULER_H);
  }
  ctx.stroke();
  ctx.strokeStyle = '#7a8190';
  ctx.fillStyle = '#b8bfcc';
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  ctx.beginPath();
  for (const m of ticks.major) {
    const x = Math.round(m.x) + 0.5;
    ctx.moveTo(x, RULER_H - 11);
    ctx.lineTo(x, t.height);
    ctx.fillText(m.label ?? '', x + 3, 4);
  }
  ctx.globalAlpha = 0.18;
  ctx.stroke();
  ctx.globalAlpha = 1;

  // Lanes
  const visEnd = xToFrame(width, view);
  t.track.people.forEach((person, lane) => {
    const y = RULER_H + lane * LANE_H;
    ctx.fillStyle = lane % 2 ? '#1d2027' : '#20242b';
    ctx.fillRect(x0, y, Math.max(0, Math.min(width, endX) - x0), LANE_H);
    ctx.strokeStyle = '#2b2f38';
    ctx.beginPath();
    ctx.moveTo(0, y + LANE_H - 0.5);
    ctx.lineTo(width, y + LANE_H - 0.5);
    ctx.stroke();
    drawKeys(ctx, person.keyframes, person.personId, y + LANE_H / 2, t, visEnd);
  });

  // Render plan lane
  const py = RULER_H + t.track.people.length * LANE_H;
  for (const seg of t.plan) {
    const a = frameToX(seg.windowStart, view);
    const b = frameToX(seg.windowEnd, view);
    if (b < 0 || a > width) continue;
    ctx.fillStyle = STATE_COLOURS[seg.state];
    ctx.globalAlpha = 0.35;
    ctx.fillRect(a, py + 4, b - a, PLAN_H - 8);
    ctx.globalAlpha = 1;
    ctx.fillRect(
      frameToX(seg.start, view),
      py + 7,
      frameToX(seg.end, view) - frameToX(seg.start, view) - 1,
      PLAN_H - 14,
    );
  }
  ctx.fillStyle = '#ffd166';
  let lastMarker = -Infinity;
  for (const f of transitionFrames(t.plan)) {
    const x = frameToX(f, view);
    if (x < -6 || x > width + 6 || x - lastMarker < 8) continue;
    lastMarker = x;
    ctx.beginPath();
    ctx.moveTo(x, py + 2);
    ctx.lineTo(x + 5, py + 8);
    ctx.lineTo(x - 5, py + 8);
    ctx.closePath();
    ctx.fill();
  }

  // Onion-skin marks on the ruler
  for (const g of t.ghosts) {
    ctx.fillStyle = g.color;
    ctx.globalAlpha = Math.max(0.3, g.opacity * 1.5);
    ctx.fillRect(frameToX(g.frame, view) - 1, RULER_H - 8, 3, 8);
  }
  ctx.globalAlpha = 1;

  // Playhead
  const px = Math.round(frameToX(t.frame, view)) + 0.5;
  ctx.strokeStyle = '#ff5c5c';
  ctx.fillStyle = '#ff5c5c';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.moveTo(px, 0);
  ctx.lineTo(px, t.height);
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(px - 6, 0);
  ctx.lineTo(px + 6, 0);
  ctx.lineTo(px + 6, 10);
  ctx.lineTo(px, 16);
  ctx.lineTo(px - 6, 10);
  ctx.closePath();
  ctx.fill();
}

function drawKeys(
  ctx: CanvasRenderingContext2D,
  keys: readonly Keyframe[],
  personId: number,
  cy: number,
  t: TimelinePicture,
  visEnd: number,
): void {
  const [from, to] = visibleKeyframes(keys, t.view.startFrame, visEnd);
  const lo = Math.max(0, from - 1);
  const hi = Math.min(keys.length, to + 1);
  const selected = new Set(
    t.selected.filter((r) => r.personId === personId).map((r) => r.keyframeId),
  );
  // Segments: solid = linear, dashed = hold, curve-tinted = bezier.
  for (let i = lo; i < hi - 1 && (hi - lo) * 10 <= t.width; i++) {
    const a = keys[i]!;
    const b = keys[i + 1]!;
    const xa = frameToX(a.frame, t.view);
    const xb = frameToX(b.frame, t.view);
    ctx.lineWidth = 2;
    ctx.setLineDash(a.easing.kind === 'hold' ? [4, 4] : []);
    ctx.strokeStyle =
      a.easing.kind === 'bezier' ? '#b48cff' : a.easing.kind === 'hold' ? '#8a909c' : '#5e7bd6';
    ctx.beginPath();
    ctx.moveTo(xa, cy);
    ctx.lineTo(xb, cy);
    ctx.stroke();
  }
  ctx.setLineDash([]);
  // Keys. Zoomed far out (more keys than room for their diamonds) each key is a thin tick, so a
  // lane of a thousand keys reads as a density strip instead of a smear; selected keys keep
  // their diamond.
  const dense = (hi - lo) * 10 > t.width;
  if (dense) {
    ctx.fillStyle = 'rgba(201,210,227,0.55)';
    let lastCol = -1;
    for (let i = lo; i < hi; i++) {
      const col = Math.round(frameToX(keys[i]!.frame, t.view));
      if (col === lastCol) continue;
      lastCol = col;
      ctx.fillRect(col, cy - 6, 1, 12);
    }
  }
  for (let i = lo; i < hi; i++) {
    const k = keys[i]!;
    const isSel = selected.has(k.id);
    if (dense && !isSel) continue;
    const x = frameToX(k.frame, t.view);
    const r = 6;
    ctx.fillStyle = isSel ? '#ffd166' : k.easing.kind === 'hold' ? '#9aa0ad' : '#dfe6f5';
    ctx.strokeStyle = '#0d0f13';
    ctx.lineWidth = 1;
    ctx.beginPath();
    if (k.easing.kind === 'hold') ctx.rect(x - r + 1, cy - r + 1, 2 * r - 2, 2 * r - 2);
    else {
      ctx.moveTo(x, cy - r);
      ctx.lineTo(x + r, cy);
      ctx.lineTo(x, cy + r);
      ctx.lineTo(x - r, cy);
      ctx.closePath();
    }
    ctx.fill();
    ctx.stroke();
  }
}
