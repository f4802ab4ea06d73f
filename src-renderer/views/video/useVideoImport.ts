import { useEffect, useRef, useState } from 'react';
import type { VideoImportStatus, VideoMotion } from '#shared/api/videoImport';
import { api } from '../../api/client';
import { sendVideo } from './sendVideo';

/** How often a running import is asked for its progress. */
const POLL_MS = 250;

export type VideoImportStep =
  | { step: 'uploading'; sent: number; total: number }
  | { step: 'extracting'; status: VideoImportStatus }
  | {
      step: 'choosing';
      status: VideoImportStatus;
      chosen: number | null;
      motion: VideoMotion | null;
    }
  | { step: 'cancelled' }
  | { step: 'failed'; message: string; hint?: string };

function errorOf(e: unknown): { message: string; hint?: string } {
  const err = e as { message?: string; hint?: string };
  return {
    message: err.message ?? String(e),
    ...(err.hint !== undefined ? { hint: err.hint } : {}),
  };
}

/**
 * One video import as the dialog follows it: upload → extraction (polled) → the person to use
 * and their motion. `cancel()` stops whichever step is running; the project is not touched by
 * any of this (the dialog applies the motion to the editor, undoably, only when asked).
 */
export function useVideoImport(file: File | null) {
  const [state, setState] = useState<VideoImportStep | null>(null);
  const stopped = useRef(false);
  const importId = useRef<string | null>(null);

  useEffect(() => {
    if (!file) return;
    stopped.current = false;
    importId.current = null;
    setState({ step: 'uploading', sent: 0, total: file.size });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      if (stopped.current || !importId.current) return;
      try {
        const s = await api.call('video.importStatus', { importId: importId.current });
        if (stopped.current) return;
        if (s.state === 'extracting') {
          setState({ step: 'extracting', status: s });
          timer = setTimeout(() => void poll(), POLL_MS);
        } else if (s.state === 'done') {
          // One person: nothing to choose; their motion is fetched at once.
          const only = s.people.length === 1 ? s.people[0]!.id : null;
          setState({ step: 'choosing', status: s, chosen: only, motion: null });
        } else if (s.state === 'cancelled') setState({ step: 'cancelled' });
        else
          setState({ step: 'failed', message: s.message ?? `${s.fileName} could not be imported` });
      } catch (e) {
        if (!stopped.current) setState({ step: 'failed', ...errorOf(e) });
      }
    };
    void sendVideo(
      file,
      (sent) => !stopped.current && setState({ step: 'uploading', sent, total: file.size }),
      () => stopped.current,
    ).then(
      (s) => {
        if (!s) return;
        importId.current = s.importId;
        if (stopped.current) {
          void api.call('video.cancelImport', { importId: s.importId }).catch(() => undefined);
          return;
        }
        setState({ step: 'extracting', status: s });
        void poll();
      },
      (e: unknown) => !stopped.current && setState({ step: 'failed', ...errorOf(e) }),
    );
    return () => {
      stopped.current = true;
      clearTimeout(timer);
    };
  }, [file]);

  // The chosen person's motion, fetched whenever the choice changes.
  const choosing = state?.step === 'choosing' ? state : null;
  useEffect(() => {
    if (!choosing || choosing.chosen === null || choosing.motion) return;
    const { chosen, status } = choosing;
    let current = true;
    api.call('video.motion', { importId: status.importId, personId: chosen }).then(
      (motion) => {
        if (current)
          setState((s) => (s?.step === 'choosing' && s.chosen === chosen ? { ...s, motion } : s));
      },
      (e: unknown) => current && setState({ step: 'failed', ...errorOf(e) }),
    );
    return () => {
      current = false;
    };
  }, [choosing?.chosen, choosing?.status.importId]);

  return {
    state,
    choose(personId: number) {
      setState((s) =>
        s?.step === 'choosing' && s.chosen !== personId
          ? { ...s, chosen: personId, motion: null }
          : s,
      );
    },
    /** Stops the upload or the extraction (ffmpeg and the engine's work end on the host). */
    async cancel() {
      stopped.current = true;
      const id = importId.current;
      if (id && (state?.step === 'extracting' || state?.step === 'uploading')) {
        setState({ step: 'cancelled' });
        await api.call('video.cancelImport', { importId: id }).catch(() => undefined);
      } else if (state?.step === 'uploading') setState({ step: 'cancelled' });
    },
  };
}
