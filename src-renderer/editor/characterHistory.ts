import { useEffect } from 'react';
import { characterState, sameCharacterState, type Character } from '#shared/api/index';
import { characterPoseOnCanvas } from '#shared/editor/seedTrack';
import { attempt, useStudio } from '../state/store';
import { openProjectDocument, type ProjectDocument } from './projectDocument';
import { shortcutFor } from './shortcuts';
import { typing } from './useEditorShortcuts';

/**
 * The Character view's side of the project's one undo history: its changes (a picture replaced,
 * a pose detected, a joint moved) become steps of the editor's history, and Ctrl+Z / Ctrl+Shift+Z
 * there walk the same history as in the Editor.
 */

async function document(): Promise<ProjectDocument | undefined> {
  const project = useStudio.getState().project;
  return project ? openProjectDocument(project) : undefined;
}

/** Saves the track when a step changed it: the Editor's autosave is not running in this view. */
async function saveIfChanged(doc: ProjectDocument, run: () => void): Promise<void> {
  const before = doc.store.getState().track;
  run();
  const after = doc.store.getState().track;
  if (after !== before) await attempt(() => doc.save(after));
}

/**
 * Records a change the API already made to the character as one undo step. With `seed` (a
 * detected pose), an empty track gets the new pose as its first key in the same step.
 */
export async function recordCharacterChange(
  label: string,
  before: Character | null,
  after: Character | undefined,
  options: { seed?: boolean } = {},
): Promise<void> {
  if (!before || !after) return;
  const change = { before: characterState(before), after: characterState(after) };
  // Nothing changed, or nothing to go back to (the project's first picture).
  if (sameCharacterState(change.before, change.after) || !change.before.picture) return;
  const doc = await document();
  if (!doc) return;
  await saveIfChanged(doc, () => {
    const s = doc.store.getState();
    s.recordCharacterChange(
      label,
      change,
      options.seed ? characterPoseOnCanvas(after, s.track) : null,
    );
  });
}

/** Undo/redo of the project's history from a view other than the Editor. */
export async function walkHistory(direction: 'undo' | 'redo'): Promise<void> {
  const doc = await document();
  if (!doc) return;
  await saveIfChanged(doc, () => doc.store.getState()[direction]());
}

/** The label of the step Ctrl+Z would undo now, or null (no project, nothing to undo). */
export async function nextUndoLabel(): Promise<string | null> {
  const doc = await document();
  return doc?.store.getState().history.past.at(-1)?.label ?? null;
}

/** Ctrl+Z / Ctrl+Shift+Z (Ctrl+Y) on the window, outside text fields and dialogs. */
export function useHistoryShortcuts(enabled = true): void {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (typing(e)) return;
      const action = shortcutFor(e);
      if (action !== 'undo' && action !== 'redo') return;
      e.preventDefault();
      void walkHistory(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
