import type { PoseTrack } from '#shared/pose/types';
import type { CharacterState } from '#shared/api/characterState';
import { applyCommand, composeCommands, invertCommand, type Command } from './commands';

/**
 * A change of the character (picture, mask, reference pose) made in the Character view. It lives
 * in the same history as the track's commands — one undo history per project across views — and
 * is put back through the API by whoever owns the store (the track itself does not hold it).
 */
export interface CharacterChange {
  before: CharacterState;
  after: CharacterState;
}

/** One undoable step. Entries with the same `coalesceKey` in a row merge (a drag = one step). */
export interface HistoryEntry {
  label: string;
  command: Command;
  coalesceKey?: string;
  /** Set when the step also changed the character (a detection that seeded the track, say). */
  character?: CharacterChange;
}

/** A command that leaves the track as it is (a step that only changes the character). */
export const NO_TRACK_CHANGE: Command = { type: 'batch', commands: [] };

export interface History {
  past: HistoryEntry[];
  future: HistoryEntry[];
  limit: number;
}

export function createHistory(limit = 500): History {
  return { past: [], future: [], limit };
}

/** Apply a command and record it; returns the new track and history (inputs are not mutated). */
export function execute(
  track: PoseTrack,
  history: History,
  entry: HistoryEntry,
): { track: PoseTrack; history: History } {
  const next = applyCommand(track, entry.command);
  const top = history.past[history.past.length - 1];
  let past: HistoryEntry[];
  if (top && entry.coalesceKey !== undefined && top.coalesceKey === entry.coalesceKey) {
    past = history.past.slice(0, -1);
    past.push({ ...top, command: composeCommands(top.command, entry.command) });
  } else {
    past = history.past.concat(entry);
    if (past.length > history.limit) past = past.slice(past.length - history.limit);
  }
  return { track: next, history: { ...history, past, future: [] } };
}

export function canUndo(h: History): boolean {
  return h.past.length > 0;
}
export function canRedo(h: History): boolean {
  return h.future.length > 0;
}

export function undo(
  track: PoseTrack,
  history: History,
): { track: PoseTrack; history: History; entry: HistoryEntry } | null {
  const entry = history.past[history.past.length - 1];
  if (!entry) return null;
  return {
    track: applyCommand(track, invertCommand(entry.command)),
    history: { ...history, past: history.past.slice(0, -1), future: [entry, ...history.future] },
    entry,
  };
}

export function redo(
  track: PoseTrack,
  history: History,
): { track: PoseTrack; history: History; entry: HistoryEntry } | null {
  const entry = history.future[0];
  if (!entry) return null;
  return {
    track: applyCommand(track, entry.command),
    // A redone entry must not swallow the next gesture, so its coalesce key is dropped.
    history: {
      ...history,
      past: history.past.concat({
        label: entry.label,
        command: entry.command,
        ...(entry.character ? { character: entry.character } : {}),
      }),
      future: history.future.slice(1),
    },
    entry,
  };
}
