import { useEffect, useRef } from 'react';
import Box from '@mui/material/Box';
import Konva from 'konva';
import { PoseTrackEvaluator } from '#shared/pose/track';
import type { PoseTrack } from '#shared/pose/types';
import { SkeletonScene, type SceneCallbacks } from './skeletonScene';

const SIDE = 260;
const ALL_PARTS = { body: true, hands: true, face: true, feet: true };
const NO_GESTURES: SceneCallbacks = {
  dragStart: () => {},
  dragMove: () => {},
  dragEnd: () => {},
  click: () => {},
  hover: () => {},
};

/**
 * The motion an import would give, looping at the project's fps: the keyframed track itself
 * (what Import puts in the editor, not the file's raw frames), drawn by the editor's own
 * SkeletonScene on a small Konva stage that takes no pointer input.
 */
export function BvhPreview({
  track,
  frames,
  fps,
}: {
  track: PoseTrack;
  frames: number;
  fps: number;
}) {
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const zoom = Math.min(SIDE / track.width, SIDE / track.height);
    const stage = new Konva.Stage({
      container: el,
      width: Math.round(track.width * zoom),
      height: Math.round(track.height * zoom),
      listening: false,
    });
    const layer = new Konva.Layer({ listening: false, scaleX: zoom, scaleY: zoom });
    stage.add(layer);
    const scene = new SkeletonScene(layer, NO_GESTURES);
    const evaluator = new PoseTrackEvaluator(track);
    const options = { parts: ALL_PARTS, selected: new Set<string>(), zoom };
    const start = performance.now();
    let shown = -1;
    let raf = 0;
    const tick = (now: number) => {
      const frame = Math.floor(((now - start) / 1000) * fps) % Math.max(1, frames);
      if (frame !== shown) {
        shown = frame;
        scene.update(evaluator.evaluate(frame), options);
        el.dataset.frame = String(frame);
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => {
      cancelAnimationFrame(raf);
      stage.destroy();
    };
  }, [track, frames, fps]);

  return (
    <Box
      ref={host}
      role="img"
      aria-label={`Preview: the imported motion looping, ${frames} frames at ${fps} fps`}
      data-testid="bvh-preview"
      sx={{
        width: SIDE,
        height: SIDE,
        display: 'grid',
        placeItems: 'center',
        bgcolor: '#0b0d12',
        borderRadius: 1,
        flex: 'none',
      }}
    />
  );
}
