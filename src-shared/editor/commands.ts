import type { Easing, Keyframe, PersonTrack, PoseTrack } from '#shared/pose/types';

/**
 * Edits of the pose track as plain data. Every command carries what it needs to be inverted
 * exactly (the state it replaces), so undo is `apply(invert(c))` — never a snapshot of the canvas.
 * `apply` checks its preconditions and throws when the track is not in the state the command was
 * made for, instead of silently corrupting history.
 */
export type Command =
  /** Insert a keyframe, replacing `replaced` (the keyframe already on that frame, if any). */
  | { type: 'putKeyframe'; personId: number; keyframe: Keyframe; replaced: Keyframe | null }
  | { type: 'removeKeyframe'; personId: number; keyframe: Keyframe }
  | {
      type: 'setPoints';
      personId: number;
      keyframeId: string;
      before: Float64Array;
      after: Float64Array;
    }
  /** Move a keyframe to a free frame. */
  | { type: 'moveKeyframe'; personId: number; keyframeId: string; from: number; to: number }
  | { type: 'setEasing'; personId: number; keyframeId: string; before: Easing; after: Easing }
  | { type: 'addPerson'; person: PersonTrack; index: number }
  | { type: 'removePerson'; person: PersonTrack; index: number }
  /** Canvas size of the track (an import may bring another one). */
  | {
      type: 'setCanvas';
      before: { width: number; height: number };
      after: { width: number; height: number };
    }
  | { type: 'batch'; commands: Command[] };

export class CommandError extends Error {
  override name = 'CommandError';
}

export function cloneKeyframe(k: Keyframe): Keyframe {
  return { id: k.id, frame: k.frame, points: new Float64Array(k.points), easing: { ...k.easing } };
}

/** Index of the first keyframe whose frame is >= `frame` (binary search; keys sorted by frame). */
export function lowerBound(keys: readonly Keyframe[], frame: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]!.frame < frame) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function keyframeAt(keys: readonly Keyframe[], frame: number): Keyframe | undefined {
  const i = lowerBound(keys, frame);
  const k = keys[i];
  return k && k.frame === frame ? k : undefined;
}

function personIndex(track: PoseTrack, personId: number): number {
  const i = track.people.findIndex((p) => p.personId === personId);
  if (i < 0) throw new CommandError(`no person ${personId} in the track`);
  return i;
}

function withKeyframes(track: PoseTrack, personId: number, keyframes: Keyframe[]): PoseTrack {
  const i = personIndex(track, personId);
  const people = track.people.slice();
  people[i] = { ...people[i]!, keyframes };
  return { ...track, people };
}

function keysOf(track: PoseTrack, personId: number): Keyframe[] {
  return track.people[personIndex(track, personId)]!.keyframes;
}

function findById(keys: readonly Keyframe[], id: string): number {
  const i = keys.findIndex((k) => k.id === id);
  if (i < 0) throw new CommandError(`no keyframe ${id}`);
  return i;
}

/** Apply a command; returns a new track sharing every untouched person and keyframe. */
export function applyCommand(track: PoseTrack, c: Command): PoseTrack {
  switch (c.type) {
    case 'putKeyframe': {
      const keys = keysOf(track, c.personId).slice();
      const i = lowerBound(keys, c.keyframe.frame);
      const existing = keys[i]?.frame === c.keyframe.frame ? keys[i] : undefined;
      if ((existing?.id ?? null) !== (c.replaced?.id ?? null))
        throw new CommandError(`frame ${c.keyframe.frame} does not hold the expected keyframe`);
      if (!existing && keys.some((k) => k.id === c.keyframe.id))
        throw new CommandError(`keyframe ${c.keyframe.id} already exists`);
      keys.splice(i, existing ? 1 : 0, cloneKeyframe(c.keyframe));
      return withKeyframes(track, c.personId, keys);
    }
    case 'removeKeyframe': {
      const keys = keysOf(track, c.personId).slice();
      const i = findById(keys, c.keyframe.id);
      keys.splice(i, 1);
      return withKeyframes(track, c.personId, keys);
    }
    case 'setPoints': {
      const keys = keysOf(track, c.personId).slice();
      const i = findById(keys, c.keyframeId);
      if (c.after.length !== keys[i]!.points.length)
        throw new CommandError(`keyframe ${c.keyframeId}: wrong number of point values`);
      keys[i] = { ...keys[i]!, points: new Float64Array(c.after) };
      return withKeyframes(track, c.personId, keys);
    }
    case 'moveKeyframe': {
      const keys = keysOf(track, c.personId).slice();
      const i = findById(keys, c.keyframeId);
      const k = keys[i]!;
      if (k.frame !== c.from) throw new CommandError(`keyframe ${k.id} is not on frame ${c.from}`);
      if (!Number.isInteger(c.to) || c.to < 0)
        throw new CommandError(`cannot move a keyframe to frame ${c.to}`);
      keys.splice(i, 1);
      if (keyframeAt(keys, c.to)) throw new CommandError(`frame ${c.to} already has a keyframe`);
      keys.splice(lowerBound(keys, c.to), 0, { ...k, frame: c.to });
      return withKeyframes(track, c.personId, keys);
    }
    case 'setEasing': {
      const keys = keysOf(track, c.personId).slice();
      const i = findById(keys, c.keyframeId);
      keys[i] = { ...keys[i]!, easing: { ...c.after } };
      return withKeyframes(track, c.personId, keys);
    }
    case 'addPerson': {
      if (track.people.some((p) => p.personId === c.person.personId))
        throw new CommandError(`person ${c.person.personId} already exists`);
      const people = track.people.slice();
      people.splice(Math.min(c.index, people.length), 0, {
        ...c.person,
        keyframes: c.person.keyframes.map(cloneKeyframe),
      });
      return { ...track, people };
    }
    case 'removePerson': {
      const i = personIndex(track, c.person.personId);
      const people = track.people.slice();
      people.splice(i, 1);
      return { ...track, people };
    }
    case 'setCanvas':
      if (track.width !== c.before.width || track.height !== c.before.height)
        throw new CommandError(`the canvas is not ${c.before.width}×${c.before.height}`);
      return { ...track, width: c.after.width, height: c.after.height };
    case 'batch':
      return c.commands.reduce(applyCommand, track);
  }
}

/** The command that undoes `c`. */
export function invertCommand(c: Command): Command {
  switch (c.type) {
    case 'putKeyframe':
      return c.replaced
        ? { type: 'putKeyframe', personId: c.personId, keyframe: c.replaced, replaced: c.keyframe }
        : { type: 'removeKeyframe', personId: c.personId, keyframe: c.keyframe };
    case 'removeKeyframe':
      return { type: 'putKeyframe', personId: c.personId, keyframe: c.keyframe, replaced: null };
    case 'setPoints':
      return { ...c, before: c.after, after: c.before };
    case 'moveKeyframe':
      return { ...c, from: c.to, to: c.from };
    case 'setEasing':
      return { ...c, before: c.after, after: c.before };
    case 'addPerson':
      return { type: 'removePerson', person: c.person, index: c.index };
    case 'removePerson':
      return { type: 'addPerson', person: c.person, index: c.index };
    case 'setCanvas':
      return { ...c, before: c.after, after: c.before };
    case 'batch':
      return { type: 'batch', commands: c.commands.map(invertCommand).reverse() };
  }
}

/**
 * Fold `next` into `prev` when both belong to one gesture (a drag): the history keeps one entry
 * whose before-state is the state before the gesture and whose after-state is the latest.
 */
export function composeCommands(prev: Command, next: Command): Command {
  if (next.type === 'setPoints') {
    if (
      prev.type === 'setPoints' &&
      prev.personId === next.personId &&
      prev.keyframeId === next.keyframeId
    )
      return { ...prev, after: next.after };
    if (
      prev.type === 'putKeyframe' &&
      prev.personId === next.personId &&
      prev.keyframe.id === next.keyframeId
    )
      return { ...prev, keyframe: { ...prev.keyframe, points: next.after } };
  }
  const a = prev.type === 'batch' ? prev.commands : [prev];
  return { type: 'batch', commands: [...a, next] };
}
