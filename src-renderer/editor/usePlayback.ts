import { useEffect } from 'react';
import type { EditorStore } from './editorStore';

/**
 * Advances the playhead at the track's fps while `playing`, looping at the end of the track, or
 * playing a preview range once.
 */
export function usePlayback(store: EditorStore): void {
  useEffect(() => {
    let raf = 0;
    let t0 = 0;
    let f0 = 0;
    const tick = (now: number) => {
      const s = store.getState();
      if (!s.ephemeral.playing) return void (raf = 0);
      const { fps, frameCount } = s.ahistoric;
      const elapsed = Math.floor(((now - t0) / 1000) * fps);
      const range = s.ephemeral.playRange;
      if (range && f0 + elapsed > range.to) {
        s.setFrame(range.to);
        s.setEphemeral({ playing: false, playRange: null });
        return void (raf = 0);
      }
      s.setFrame((f0 + elapsed) % frameCount);
      raf = requestAnimationFrame(tick);
    };
    const unsub = store.subscribe((s, prev) => {
      if (s.ephemeral.playing && !prev.ephemeral.playing && !raf) {
        t0 = performance.now();
        f0 = s.ahistoric.frame;
        raf = requestAnimationFrame(tick);
      }
    });
    return () => {
      unsub();
      cancelAnimationFrame(raf);
    };
  }, [store]);
}
