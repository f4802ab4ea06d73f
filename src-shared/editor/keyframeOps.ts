import type { Easing, Keyframe, PoseTrack } from '#shared/pose/types';
import { cloneKeyframe, keyframeAt, lowerBound, type Command } from './commands';

/** A keyframe picked in the timeline. */
export interface KeyframeRef {
  personId: number;
  keyframeId: string;
}

/** Copied keyframes, frames relative to the earliest one so they paste at the playhead. */
export interface KeyframeClipboard {
  entries: { personId: number; offset: number; points: Float64Array; easing: Easing }[];
}

export type IdSource = () => string;

export const DEFAULT_EASING: Easing = { kind: 'linear' };

function keysOf(track: PoseTrack, personId: number): readonly Keyframe[] {
  const p = track.people.find((q) => q.personId === personId);
  if (!p) throw new RangeError(`no person ${personId} in the track`);
  return p.keyframes;
}

function resolve(track: PoseTrack, ref: KeyframeRef): Keyframe {
  const k = keysOf(track, ref.personId).find((q) => q.id === ref.keyframeId);
  if (!k) throw new RangeError(`no keyframe ${ref.keyframeId} for person ${ref.personId}`);
  return k;
}

/** The keyframe at or before `frame` (binary search), whose easing governs the segment. */
export function keyframeBefore(keys: readonly Keyframe[], frame: number): Keyframe | undefined {
  const i = lowerBound(keys, frame);
  if (keys[i]?.frame === frame) return keys[i];
  return i > 0 ? keys[i - 1] : undefined;
}

/**
 * Record `points` as the pose of `personId` at `frame`: updates the keyframe on that frame, or
 * creates one (taking the easing of the segment it splits) — "dragging in between makes a key".
 */
export function setPoseAt(
  track: PoseTrack,
  personId: number,
  frame: number,
  points: Float64Array,
  newId: IdSource,
): Command {
  const keys = keysOf(track, personId);
  const existing = keyframeAt(keys, frame);
  if (existing)
    return {
      type: 'setPoints',
      personId,
      keyframeId: existing.id,
      before: existing.points,
      after: new Float64Array(points),
    };
  const easing = keyframeBefore(keys, frame)?.easing ?? DEFAULT_EASING;
  return {
    type: 'putKeyframe',
    personId,
    keyframe: { id: newId(), frame, points: new Float64Array(points), easing: { ...easing } },
    replaced: null,
  };
}

/** K: key the current (evaluated) pose at `frame`; null when a keyframe is already there. */
export function addKeyframe(
  track: PoseTrack,
  personId: number,
  frame: number,
  points: Float64Array,
  newId: IdSource,
): Command | null {
  if (keyframeAt(keysOf(track, personId), frame)) return null;
  return setPoseAt(track, personId, frame, points, newId);
}

export function deleteKeyframes(track: PoseTrack, refs: readonly KeyframeRef[]): Command | null {
  if (!refs.length) return null;
  return {
    type: 'batch',
    commands: refs.map((r) => ({
      type: 'removeKeyframe' as const,
      personId: r.personId,
      keyframe: resolve(track, r),
    })),
  };
}

/**
 * Move keyframes by `delta` frames (clamped so none goes below frame 0). A moved key landing on a
 * key that is not moving replaces it — the replaced key is removed first so undo restores it.
 */
export function moveKeyframes(
  track: PoseTrack,
  refs: readonly KeyframeRef[],
  delta: number,
): Command | null {
  if (!refs.length) return null;
  const picked = refs.map((r) => ({ ref: r, key: resolve(track, r) }));
  const minFrame = Math.min(...picked.map((p) => p.key.frame));
  const d = Math.max(Math.round(delta), -minFrame);
  if (d === 0) return null;
  const commands: Command[] = [];
  const moving = new Set(refs.map((r) => `${r.personId}/${r.keyframeId}`));
  for (const { ref, key } of picked) {
    const occupant = keyframeAt(keysOf(track, ref.personId), key.frame + d);
    if (occupant && !moving.has(`${ref.personId}/${occupant.id}`))
      commands.push({ type: 'removeKeyframe', personId: ref.personId, keyframe: occupant });
  }
  // Move the leading keys first so no key ever lands on one that has not moved yet.
  picked.sort((a, b) => (d > 0 ? b.key.frame - a.key.frame : a.key.frame - b.key.frame));
  for (const { ref, key } of picked)
    commands.push({
      type: 'moveKeyframe',
      personId: ref.personId,
      keyframeId: key.id,
      from: key.frame,
      to: key.frame + d,
    });
  return { type: 'batch', commands };
}

export function copyKeyframes(track: PoseTrack, refs: readonly KeyframeRef[]): KeyframeClipboard {
  const picked = refs.map((r) => ({ personId: r.personId, key: resolve(track, r) }));
  const first = Math.min(...picked.map((p) => p.key.frame));
  return {
    entries: picked.map((p) => ({
      personId: p.personId,
      offset: p.key.frame - first,
      points: new Float64Array(p.key.points),
      easing: { ...p.key.easing },
    })),
  };
}

/** Paste at `frame`; keys already on the target frames are replaced (undo brings them back). */
export function pasteKeyframes(
  track: PoseTrack,
  clip: KeyframeClipboard,
  frame: number,
  newId: IdSource,
): Command | null {
  const commands: Command[] = [];
  for (const e of clip.entries) {
    if (!track.people.some((p) => p.personId === e.personId)) continue;
    const at = frame + e.offset;
    const existing = keyframeAt(keysOf(track, e.personId), at);
    commands.push({
      type: 'putKeyframe',
      personId: e.personId,
      keyframe: { id: newId(), frame: at, points: new Float64Array(e.points), easing: e.easing },
      replaced: existing ? cloneKeyframe(existing) : null,
    });
  }
  return commands.length ? { type: 'batch', commands } : null;
}

export function setEasing(
  track: PoseTrack,
  refs: readonly KeyframeRef[],
  easing: Easing,
): Command | null {
  if (!refs.length) return null;
  return {
    type: 'batch',
    commands: refs.map((r) => ({
      type: 'setEasing' as const,
      personId: r.personId,
      keyframeId: r.keyframeId,
      before: resolve(track, r).easing,
      after: { ...easing },
    })),
  };
}
