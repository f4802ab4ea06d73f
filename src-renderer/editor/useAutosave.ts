import { useEffect, useRef, useState } from 'react';
import type { PoseTrack } from '#shared/pose/types';
import type { EditorStore } from './editorStore';
import {
  browserStorage,
  clearRecovery,
  readRecovery,
  writeRecovery,
  type KeyValueStorage,
  type RecoveredEdits,
} from './recovery';

export interface AutosaveOptions {
  /** Identifies the project: the recovery copy is kept per project. */
  projectKey: string;
  /** Saves the track into the project (the shell passes its API call). Omit for recovery only. */
  save?: (track: PoseTrack) => Promise<void>;
  /** Quiet time after the last edit before saving (default 1.5 s). */
  debounceMs?: number;
  /** Quiet time after the last edit before the recovery copy is written (default 0.3 s). */
  recoveryDelayMs?: number;
  storage?: KeyValueStorage;
}

export interface AutosaveStatus {
  state: 'saved' | 'unsaved' | 'saving' | 'error';
  error?: string;
  /** Edits found from a previous session that was not saved (crash, closed tab). */
  recovered: RecoveredEdits | null;
  recoveryError?: string;
  restore(): void;
  discard(): void;
}

/**
 * Autosave with crash recovery. Once edits pause for `recoveryDelayMs` (or the page is hidden or
 * closed) a recovery copy goes to localStorage, synchronously, so a crash after that loses
 * nothing; after `debounceMs` of quiet the track is saved through `save`, and on success the
 * recovery copy is removed.
 */
export function useAutosave(store: EditorStore, opts: AutosaveOptions): AutosaveStatus {
  const storage = opts.storage ?? browserStorage();
  const [state, setState] = useState<AutosaveStatus['state']>('saved');
  const [error, setError] = useState<string>();
  const [recovered, setRecovered] = useState<RecoveredEdits | null>(null);
  const [recoveryError, setRecoveryError] = useState<string>();
  const saveRef = useRef(opts.save);
  saveRef.current = opts.save;

  useEffect(() => {
    if (!storage) return;
    try {
      setRecovered(readRecovery(storage, opts.projectKey));
    } catch (e) {
      setRecoveryError((e as Error).message);
    }
  }, [storage, opts.projectKey]);

  useEffect(() => {
    if (!storage) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let saving: Promise<void> | null = null;
    const flush = async () => {
      const save = saveRef.current;
      if (!save) return;
      if (saving) await saving;
      const { track, revision } = store.getState();
      setState('saving');
      saving = save(track)
        .then(() => {
          // Only a save of the latest revision makes the recovery copy unnecessary.
          if (store.getState().revision === revision) {
            clearRecovery(storage, opts.projectKey);
            setState('saved');
          } else setState('unsaved');
          setError(undefined);
        })
        .catch((e: unknown) => {
          setState('error');
          setError(e instanceof Error ? e.message : String(e));
        })
        .finally(() => (saving = null));
    };
    // The recovery copy is written when edits pause (and when the page goes away), not on every
    // pointer move: serialising a long track takes milliseconds to hundreds of milliseconds.
    let recoveryTimer: ReturnType<typeof setTimeout> | undefined;
    let recoveryDirty = false;
    const writeCopy = () => {
      clearTimeout(recoveryTimer);
      if (!recoveryDirty) return;
      recoveryDirty = false;
      const { track, revision } = store.getState();
      try {
        writeRecovery(storage, opts.projectKey, track, revision);
      } catch {
        // Storage full or disabled: autosave still runs, only crash recovery is lost.
      }
    };
    const unsub = store.subscribe((s, prev) => {
      if (s.revision === prev.revision) return;
      recoveryDirty = true;
      clearTimeout(recoveryTimer);
      recoveryTimer = setTimeout(writeCopy, opts.recoveryDelayMs ?? 300);
      setState('unsaved');
      clearTimeout(timer);
      timer = setTimeout(() => void flush(), opts.debounceMs ?? 1500);
    });
    window.addEventListener('pagehide', writeCopy);
    return () => {
      unsub();
      writeCopy();
      window.removeEventListener('pagehide', writeCopy);
      clearTimeout(timer);
    };
  }, [store, storage, opts.projectKey, opts.debounceMs, opts.recoveryDelayMs]);

  return {
    state,
    ...(error ? { error } : {}),
    recovered,
    ...(recoveryError ? { recoveryError } : {}),
    restore: () => {
      if (!recovered) return;
      store.getState().loadTrack(recovered.track, 'Restore unsaved edits');
      setRecovered(null);
    },
    discard: () => {
      if (storage) clearRecovery(storage, opts.projectKey);
      setRecovered(null);
      setRecoveryError(undefined);
    },
  };
}
