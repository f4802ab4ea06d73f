import type { PoseTrack } from '#shared/pose/types';
import { keyframeAt } from '#shared/editor/commands';
import { transitionFrames, type PlanLaneSegment } from '#shared/editor/editorState';
import type { KeyframeRef } from '#shared/editor/keyframeOps';

/**
 * The timeline's lane maths that does not draw: lane labels, the transition nearest a frame, and
 * how far a key drag may move the selected keys.
 */

/** One label per person, in lane order: the person's name on one line, else "Person N". */
export function laneLabels(people: PoseTrack['people']): string[] {
  return people.map((p) => {
    const name = (p.name ?? '').replace(/\s+/g, ' ').trim();
    return name === '' ? `Person ${p.personId + 1}` : name;
  });
}

/** The segment boundary closest to `frame` (the earlier one on a tie), or undefined if none. */
export function nearestTransition(
  plan: readonly Pick<PlanLaneSegment, 'start'>[],
  frame: number,
): number | undefined {
  let best: number | undefined;
  for (const f of transitionFrames(plan))
    if (best === undefined || Math.abs(f - frame) < Math.abs(best - frame)) best = f;
  return best;
}

/** The key under the pointer when a key drag began. */
export interface KeyGrab {
  personId: number;
  keyframeId: string;
  startFrame: number;
  startX: number;
}

/**
 * Frames to move the selected keys by so the grabbed key follows the pointer at `x`; 0 when
 * they should not move: already there, or a selected key would land on a key that is not
 * selected (it would be replaced and lost mid-drag).
 */
export function keyDragDelta(
  track: PoseTrack,
  selected: readonly KeyframeRef[],
  grab: KeyGrab,
  x: number,
  pxPerFrame: number,
): number {
  const wanted = Math.round((x - grab.startX) / pxPerFrame);
  if (!Number.isFinite(wanted)) return 0;
  const keysOf = (personId: number) =>
    track.people.find((p) => p.personId === personId)?.keyframes ?? [];
  const now = keysOf(grab.personId).find((k) => k.id === grab.keyframeId)?.frame ?? grab.startFrame;
  const moving = selected.flatMap((r) => {
    const key = keysOf(r.personId).find((k) => k.id === r.keyframeId);
    return key ? [{ personId: r.personId, key }] : [];
  });
  if (moving.length === 0) return 0;
  // No key goes below frame 0 (moveKeyframes clamps the same way).
  const delta = Math.max(
    grab.startFrame + wanted - now,
    -Math.min(...moving.map((m) => m.key.frame)),
  );
  if (delta === 0) return 0;
  const ids = new Set(moving.map((m) => `${m.personId}/${m.key.id}`));
  for (const m of moving) {
    const occupant = keyframeAt(keysOf(m.personId), m.key.frame + delta);
    if (occupant && !ids.has(`${m.personId}/${occupant.id}`)) return 0;
  }
  return delta;
}
