import { useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { onionSkinFrames } from '#shared/editor/onionSkin';
import {
  fitView,
  keyframeNearX,
  scrollToShow,
  xToFrameSnapped,
  zoomAt,
} from '#shared/editor/timelineMath';
import type { EditorStore } from './editorStore';
import { drawTimeline, LANE_H, PLAN_H, RULER_H, rowAt } from './timelineDraw';
import { keyDragDelta, laneLabels, nearestTransition, type KeyGrab } from './timelineLanes';
import { TimelineToolbar } from './TimelineToolbar';

export interface TimelineProps {
  store: EditorStore;
  /** Asked to render and play the frames around a segment boundary with the fast generator. */
  onPreviewTransition?: (boundaryFrame: number) => void;
}

/**
 * Keyframe timeline: ruler (frames or seconds), a lane per person, the render-plan lane with
 * transition markers, onion-skin marks and the playhead. Drawn on one canvas from the store on
 * each animation frame; pointer gestures become store actions (scrub, select, drag keys).
 */
export function Timeline({ store, onPreviewTransition }: TimelineProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const laneNames = useStore(
    store,
    useShallow((s) => laneLabels(s.track.people)),
  );
  const height = RULER_H + laneNames.length * LANE_H + PLAN_H + 6;
  const previewRef = useRef(onPreviewTransition);
  previewRef.current = onPreviewTransition;

  useEffect(() => {
    const canvas = canvasRef.current!;
    const wrap = wrapRef.current!;
    const ctx = canvas.getContext('2d')!;
    let raf = 0;
    let width = 0;
    // Fit the whole track until the user zooms or scrolls the timeline.
    let userZoomed = false;
    let lastFrame = -1;
    const draw = () => {
      raf = 0;
      const t0 = performance.now();
      const s = store.getState();
      const a = s.ahistoric;
      // Keep the playhead in view while playing or stepping.
      if (a.frame !== lastFrame && width > 0) {
        lastFrame = a.frame;
        const v = scrollToShow(a.timeline, a.frame, width, 0);
        if (v !== a.timeline) return void s.setView({ timeline: v });
      }
      const dpr = window.devicePixelRatio || 1;
      const h = canvas.clientHeight;
      if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(h * dpr)) {
        canvas.width = Math.round(width * dpr);
        canvas.height = Math.round(h * dpr);
      }
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      drawTimeline(ctx, {
        width,
        height: h,
        view: a.timeline,
        fps: a.fps,
        unit: a.rulerUnit,
        frameCount: a.frameCount,
        frame: a.frame,
        track: s.track,
        selected: s.ephemeral.selectedKeyframes,
        plan: s.plan,
        ghosts: onionSkinFrames(
          a.frame,
          a.onionSkin,
          a.frameCount,
          s.track.people[0]?.keyframes ?? [],
        ),
      });
      window.__editorPerf?.timeline.push(performance.now() - t0);
    };
    const schedule = () => {
      if (!raf) raf = requestAnimationFrame(draw);
    };
    const ro = new ResizeObserver(() => {
      width = wrap.clientWidth;
      if (!userZoomed && width > 0) {
        const s = store.getState();
        s.setView({ timeline: fitView(s.ahistoric.frameCount, width) });
      }
      schedule();
    });
    ro.observe(wrap);
    const unsub = store.subscribe(schedule);

    // Pointer gestures
    let mode: 'scrub' | 'keys' | null = null;
    let grab: (KeyGrab & { gesture: string }) | null = null;
    const local = (e: PointerEvent) => {
      const r = canvas.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    };
    const scrub = (x: number) => {
      const s = store.getState();
      s.setFrame(xToFrameSnapped(x, s.ahistoric.timeline, s.ahistoric.frameCount));
    };
    const down = (e: PointerEvent) => {
      if (e.button !== 0) return;
      const { x, y } = local(e);
      const s = store.getState();
      const row = rowAt(y, s.track);
      canvas.setPointerCapture(e.pointerId);
      if (row.kind === 'person') {
        const person = s.track.people.find((p) => p.personId === row.personId)!;
        const key = keyframeNearX(person.keyframes, x, s.ahistoric.timeline);
        if (key) {
          const ref = { personId: row.personId, keyframeId: key.id };
          const isSel = s.ephemeral.selectedKeyframes.some(
            (r) => r.personId === ref.personId && r.keyframeId === ref.keyframeId,
          );
          if (e.shiftKey || e.ctrlKey || e.metaKey) s.selectKeyframes([ref], true);
          else if (!isSel) s.selectKeyframes([ref]);
          mode = 'keys';
          grab = { ...ref, startFrame: key.frame, startX: x, gesture: s.beginGesture('keyframes') };
          return;
        }
        if (!e.shiftKey) s.selectKeyframes([]);
      }
      mode = 'scrub';
      s.beginGesture('playhead');
      scrub(x);
    };
    // Double-click on the plan lane: preview the transition nearest to the pointer.
    const dblclick = (e: MouseEvent) => {
      const { x, y } = local(e as PointerEvent);
      const s = store.getState();
      if (rowAt(y, s.track).kind !== 'plan' || !previewRef.current) return;
      const f = xToFrameSnapped(x, s.ahistoric.timeline, s.ahistoric.frameCount);
      const boundary = nearestTransition(s.plan, f);
      if (boundary !== undefined) previewRef.current(boundary);
    };
    const move = (e: PointerEvent) => {
      if (!mode) return;
      const { x } = local(e);
      if (mode === 'scrub') return scrub(x);
      if (mode === 'keys' && grab) {
        const s = store.getState();
        const delta = keyDragDelta(
          s.track,
          s.ephemeral.selectedKeyframes,
          grab,
          x,
          s.ahistoric.timeline.pxPerFrame,
        );
        if (delta !== 0) s.moveSelectedKeyframes(delta, grab.gesture);
      }
    };
    const up = () => {
      if (mode) store.getState().endGesture();
      mode = null;
      grab = null;
    };
    const wheel = (e: WheelEvent) => {
      e.preventDefault();
      userZoomed = true;
      const s = store.getState();
      const v = s.ahistoric.timeline;
      if (e.ctrlKey || e.metaKey)
        s.setView({
          timeline: zoomAt(v, Math.pow(1.002, -e.deltaY), local(e as unknown as PointerEvent).x),
        });
      else
        s.setView({
          timeline: { ...v, startFrame: v.startFrame + (e.deltaX || e.deltaY) / v.pxPerFrame },
        });
    };
    canvas.addEventListener('pointerdown', down);
    canvas.addEventListener('pointermove', move);
    canvas.addEventListener('pointerup', up);
    canvas.addEventListener('pointercancel', up);
    canvas.addEventListener('wheel', wheel, { passive: false });
    canvas.addEventListener('dblclick', dblclick);
    schedule();
    return () => {
      unsub();
      ro.disconnect();
      cancelAnimationFrame(raf);
      canvas.removeEventListener('pointerdown', down);
      canvas.removeEventListener('pointermove', move);
      canvas.removeEventListener('pointerup', up);
      canvas.removeEventListener('pointercancel', up);
      canvas.removeEventListener('wheel', wheel);
      canvas.removeEventListener('dblclick', dblclick);
    };
  }, [store]);

  return (
    <Box
      sx={{
        display: 'flex',
        flexDirection: 'column',
        borderTop: 1,
        borderColor: 'divider',
        bgcolor: 'background.paper',
      }}
    >
      <TimelineToolbar store={store} />
      <Box sx={{ display: 'flex' }}>
        <Box sx={{ width: 130, flexShrink: 0, borderRight: 1, borderColor: 'divider' }}>
          <Box sx={{ height: RULER_H, bgcolor: '#23272f' }} />
          {laneNames.map((n, lane) => (
            <Typography
              key={lane}
              variant="body2"
              noWrap
              sx={{ height: LANE_H, lineHeight: `${LANE_H}px`, px: 1.5 }}
            >
              {n}
            </Typography>
          ))}
          <Typography
            variant="caption"
            color="text.secondary"
            noWrap
            sx={{ display: 'block', height: PLAN_H, lineHeight: `${PLAN_H}px`, px: 1.5 }}
          >
            Render plan
          </Typography>
        </Box>
        <Box ref={wrapRef} sx={{ flex: 1, minWidth: 0 }}>
          <canvas
            ref={canvasRef}
            data-testid="timeline-canvas"
            style={{
              display: 'block',
              width: '100%',
              height,
              touchAction: 'none',
              cursor: 'default',
            }}
          />
        </Box>
      </Box>
    </Box>
  );
}
