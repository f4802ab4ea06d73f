import { useEffect, useRef, useState } from 'react';
import type { PoseTrack } from '../../src-shared/pose/types';
import type { EditorStore } from './editorStore';
import {
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
 * Autosave with crash recovery. Every edit writes a recovery copy to localStorage at once (cheap,
 * synchronous: survives a crash a moment later); after `debounceMs` of quiet the track is saved
 * through `save`, and on success the recovery copy is removed.
 */
export function useAutosave(store: EditorStore, opts: AutosaveOptions): AutosaveStatus {
  const storage = opts.storage ?? (typeof localStorage !== 'undefined' ? localStorage : undefined);
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
    const unsub = store.subscribe((s, prev) => {
      if (s.revision === prev.revision) return;
      try {
        writeRecovery(storage, opts.projectKey, s.track, s.revision);
      } catch {
        // Storage full or disabled: autosave still runs, only crash recovery is lost.
      }
      setState('unsaved');
      clearTimeout(timer);
      timer = setTimeout(() => void flush(), opts.debounceMs ?? 1500);
    });
    return () => {
      unsub();
      clearTimeout(timer);
    };
  }, [store, storage, opts.projectKey, opts.debounceMs]);

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
