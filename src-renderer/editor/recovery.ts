import { z } from 'zod';
import type { PoseTrack } from '#shared/pose/types';
import { trackFromJson, trackToJson } from '#shared/editor/trackJson';

/** The part of `Storage` the recovery copy needs (localStorage in the app, a fake in tests). */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * The page's localStorage, or undefined where there is none or the browser refuses it (reading
 * `localStorage` throws a SecurityError when site data is blocked): the editor then works without
 * crash recovery and remembered views instead of failing to open.
 */
export function browserStorage(): KeyValueStorage | undefined {
  try {
    return typeof localStorage !== 'undefined' ? localStorage : undefined;
  } catch {
    return undefined;
  }
}

const PREFIX = 'pose-studio.editor.recovery.';

const RecoveryRecord = z.object({
  version: z.literal(1),
  savedAt: z.string(),
  revision: z.number().int(),
  track: z.unknown(),
});

export interface RecoveredEdits {
  /** When the copy was written; null when the copy does not say (the edits are kept all the same). */
  savedAt: Date | null;
  revision: number;
  track: PoseTrack;
}

/**
 * Unsaved edits kept in localStorage after every change, so a crash or a closed tab loses
 * nothing: written while the project has unsaved edits, cleared once the project is saved.
 */
export function writeRecovery(
  storage: KeyValueStorage,
  key: string,
  track: PoseTrack,
  revision: number,
): void {
  storage.setItem(
    PREFIX + key,
    JSON.stringify({
      version: 1,
      savedAt: new Date().toISOString(),
      revision,
      track: trackToJson(track),
    }),
  );
}

export function clearRecovery(storage: KeyValueStorage, key: string): void {
  storage.removeItem(PREFIX + key);
}

/**
 * The recovery copy for `key`, or null when there is none. A damaged copy throws an Error that
 * says what is wrong (the UI shows it and offers to discard the copy).
 */
export function readRecovery(storage: KeyValueStorage, key: string): RecoveredEdits | null {
  const raw = storage.getItem(PREFIX + key);
  if (raw === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error('the recovery copy of unsaved edits is not valid JSON');
  }
  const rec = RecoveryRecord.safeParse(parsed);
  if (!rec.success) throw new Error('the recovery copy of unsaved edits has an unknown layout');
  const savedAt = new Date(rec.data.savedAt);
  return {
    savedAt: Number.isNaN(savedAt.getTime()) ? null : savedAt,
    revision: rec.data.revision,
    track: trackFromJson(rec.data.track),
  };
}

/** The banner over the editor when unsaved edits were found. */
export function recoveryBannerText(recovered: RecoveredEdits): string {
  const when = recovered.savedAt ? recovered.savedAt.toLocaleString() : 'an earlier session';
  return `Unsaved edits from ${when} were found (the editor closed before saving them).`;
}
