import { useEffect } from 'react';
import type { EditorStore } from './editorStore';
import { playbackStep, type PlaybackStart } from './playback';

/**
 * Advances the playhead at the track's fps while `playing`, looping at the end of the track, or
 * playing a preview range once (the clock maths: `playbackStep`).
 */
export function usePlayback(store: EditorStore): void {
  useEffect(() => {
    let raf = 0;
    let start: PlaybackStart = { frame: 0, time: 0 };
    const tick = (now: number) => {
      const s = store.getState();
      if (!s.ephemeral.playing) return void (raf = 0);
      const { fps, frameCount } = s.ahistoric;
      const step = playbackStep(start, now, fps, frameCount, s.ephemeral.playRange);
      s.setFrame(step.frame);
      if (step.stop) {
        s.setEphemeral({ playing: false, playRange: null });
        return void (raf = 0);
      }
      raf = requestAnimationFrame(tick);
    };
    const unsub = store.subscribe((s, prev) => {
      if (s.ephemeral.playing && !prev.ephemeral.playing && !raf) {
        start = { frame: s.ahistoric.frame, time: performance.now() };
        raf = requestAnimationFrame(tick);
      }
    });
    return () => {
      unsub();
      cancelAnimationFrame(raf);
    };
  }, [store]);
}
