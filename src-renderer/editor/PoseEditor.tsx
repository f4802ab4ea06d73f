import { useEffect, useRef, useState } from 'react';
import Konva from 'konva';
import { Layer, Stage } from 'react-konva';
import Box from '@mui/material/Box';
import { useStore } from 'zustand';
import { onionSkinFrames } from '#shared/editor/onionSkin';
import { pointsInRect } from '#shared/editor/groupTransform';
import type { PointRef } from '#shared/editor/editorState';
import type { PoseFrame } from '#shared/pose/types';
import { POINT_NAMES } from '#shared/pose/skeleton';
import { placePicture } from '#shared/geometry/pictureCanvas';
import type { EditorStore } from './editorStore';
import { SkeletonScene } from './skeletonScene';
import { ConditioningOverlay, createGhostShape, type Ghost } from './overlays';
import { PoseToolbar } from './PoseToolbar';
import { fitStage, zoomStageAt } from './stageView';
import { CANVAS_HINT } from '#shared/editor/jointKeys';
import { useJointKeyboard } from './useJointKeyboard';
import { JointAnnouncement } from '../components/JointAnnouncement';

export interface PoseEditorProps {
  store: EditorStore;
  /** The reference picture (or a rendered preview frame) drawn under the skeleton. */
  picture?: string | null;
}

/** Exposed for e2e tests and the benchmark: the stage and the scene of the mounted editor. */
export interface PoseEditorHandle {
  stage: Konva.Stage;
  scene: SkeletonScene;
  /** Number of skeleton/overlay redraws so far (the benchmark reads it). */
  redraws: () => number;
}
declare global {
  interface Window {
    __poseEditor?: PoseEditorHandle;
    /** When a page defines it (the benchmark does), redraw durations in ms are appended here. */
    __editorPerf?: { stage: number[]; timeline: number[] };
  }
}

/**
 * The Konva stage: picture layer (static), conditioning overlay, onion-skin ghosts, skeleton, and
 * a UI layer for the selection marquee. Store changes are applied imperatively once per animation
 * frame, so React renders this component only when its size or picture changes.
 */
export function PoseEditor({ store, picture }: PoseEditorProps) {
  const boxRef = useRef<HTMLDivElement>(null);
  const stageRef = useRef<Konva.Stage>(null);
  const pictureLayer = useRef<Konva.Layer>(null);
  const condLayer = useRef<Konva.Layer>(null);
  const ghostLayer = useRef<Konva.Layer>(null);
  const skeletonLayer = useRef<Konva.Layer>(null);
  const uiLayer = useRef<Konva.Layer>(null);
  const [size, setSize] = useState({ width: 800, height: 500 });
  const trackSize = useStore(store, (s) => `${s.track.width}x${s.track.height}`);
  const jointSaid = useJointKeyboard(store, boxRef);

  useEffect(() => {
    const el = boxRef.current!;
    const ro = new ResizeObserver(() =>
      setSize({ width: el.clientWidth, height: el.clientHeight }),
    );
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Fit the canvas in the view when the editor opens, its size changes or the canvas size changes,
  // until the user zooms or pans themselves.
  const userView = useRef(false);
  useEffect(() => {
    if (userView.current) return;
    const stage = fitStage(size, store.getState().track);
    if (stage) store.getState().setView({ stage });
  }, [trackSize, size.width, size.height, store]);

  // Picture layer: redrawn only when the picture or canvas size changes.
  useEffect(() => {
    const layer = pictureLayer.current!;
    layer.destroyChildren();
    const { track } = store.getState();
    layer.add(
      new Konva.Rect({ width: track.width, height: track.height, fill: '#000', listening: false }),
    );
    if (!picture) return void layer.batchDraw();
    let stale = false;
    const img = new window.Image();
    img.onload = () => {
      if (stale) return; // another picture or canvas came meanwhile
      // Placed as the render places it (aspect kept, centred), never stretched to the canvas.
      const at = placePicture({ width: img.naturalWidth, height: img.naturalHeight }, track);
      if (!at) return;
      layer.add(
        new Konva.Image({
          image: img,
          x: at.x,
          y: at.y,
          width: at.width,
          height: at.height,
          listening: false,
          name: 'picture',
        }),
      );
      layer.batchDraw();
    };
    img.src = picture;
    return () => {
      stale = true;
    };
  }, [picture, trackSize, store]);

  useEffect(() => {
    const stage = stageRef.current!;
    const skel = skeletonLayer.current!;
    const ui = uiLayer.current!;
    const overlay = new ConditioningOverlay();
    condLayer.current!.add(overlay.node);
    const ghosts = createGhostShape();
    ghostLayer.current!.add(ghosts);
    const marquee = new Konva.Rect({
      fill: 'rgba(124,156,255,0.15)',
      stroke: '#7c9cff',
      strokeWidth: 1,
      strokeScaleEnabled: false,
      visible: false,
      listening: false,
    });
    ui.add(marquee);
    let redraws = 0;
    let groupBase: Map<number, Float64Array> | null = null;
    let dragOrigin: [number, number] | null = null;

    const scene = new SkeletonScene(skel, {
      dragStart(ref, additive) {
        const s = store.getState();
        const key = `${ref.personId}/${ref.index}`;
        const inSelection = s.ephemeral.selectedPoints.some(
          (r) => `${r.personId}/${r.index}` === key,
        );
        if (inSelection && s.ephemeral.selectedPoints.length > 1) {
          // Dragging one of several selected points moves the whole selection.
          groupBase = new Map(
            s.track.people.map((p) => [p.personId, new Float64Array(s.points(p.personId) ?? [])]),
          );
          const base = groupBase.get(ref.personId)!;
          dragOrigin = [base[ref.index * 3]!, base[ref.index * 3 + 1]!];
          s.beginGesture('group', ref.personId, ref.index);
        } else {
          groupBase = null;
          if (!inSelection) s.selectPoints([ref], additive);
          s.beginGesture('joint', ref.personId, ref.index);
        }
      },
      dragMove(ref, x, y) {
        const s = store.getState();
        if (groupBase && dragOrigin)
          s.transformSelection({ dx: x - dragOrigin[0], dy: y - dragOrigin[1] }, groupBase);
        else s.dragJointTo(ref.personId, ref.index, x, y);
      },
      dragEnd() {
        groupBase = null;
        dragOrigin = null;
        store.getState().endGesture();
        schedule();
      },
      click(ref, additive) {
        store.getState().selectPoints([ref], additive);
      },
      hover(ref) {
        store.getState().setEphemeral({ hover: ref });
      },
    });
    // Name of the joint under the pointer.
    const hoverLabel = new Konva.Label({ listening: false, visible: false });
    hoverLabel.add(new Konva.Tag({ fill: 'rgba(16,19,26,0.85)', cornerRadius: 3 }));
    const hoverText = new Konva.Text({
      fontSize: 11,
      padding: 4,
      fill: '#e6ebf5',
      fontFamily: 'system-ui, sans-serif',
    });
    hoverLabel.add(hoverText);
    ui.add(hoverLabel);

    let raf = 0;
    let lastCond = 0;
    let last: { track: unknown; frame: number; cond: boolean; condFeet: boolean } | null = null;
    const flush = () => {
      raf = 0;
      const t0 = performance.now();
      const s = store.getState();
      const a = s.ahistoric;
      stage.scale({ x: a.stage.zoom, y: a.stage.zoom });
      stage.position({ x: a.stage.x, y: a.stage.y });
      // points() returns a keyframe's stored points when the playhead is on one (exact, and no
      // evaluator is rebuilt while dragging there), else the evaluated in-between.
      const shown: PoseFrame = {
        width: s.track.width,
        height: s.track.height,
        people: s.track.people.flatMap((p) => {
          const points = s.points(p.personId);
          return points ? [{ id: p.personId, points }] : [];
        }),
      };
      scene.update(shown, {
        parts: a.parts,
        selected: new Set(s.ephemeral.selectedPoints.map((r) => `${r.personId}/${r.index}`)),
        zoom: a.stage.zoom,
      });
      // While dragging, the overlay (a full conditioning render) refreshes at most every 40 ms;
      // the skeleton itself follows every frame. The drag's last state is always drawn.
      const dragging = !!s.ephemeral.drag;
      const now = performance.now();
      const condStale =
        !last ||
        last.track !== s.track ||
        last.frame !== a.frame ||
        last.cond !== a.showConditioning ||
        last.condFeet !== a.conditioningFeet;
      const throttled = a.showConditioning && dragging && now - lastCond < 40;
      const condChanged = condStale && !throttled;
      if (condStale && throttled) schedule();
      if (a.showConditioning && condChanged) {
        overlay.draw(shown, a.conditioningFeet);
        lastCond = now;
      }
      condLayer.current!.visible(a.showConditioning);
      condLayer.current!.opacity(a.conditioningOpacity);
      pictureLayer.current!.visible(a.showPicture);
      if (condChanged) condLayer.current!.batchDraw();
      const hover = s.ephemeral.drag ? null : s.ephemeral.hover;
      const hp = hover ? shown.people.find((p) => p.id === hover.personId)?.points : undefined;
      hoverLabel.visible(!!hover && !!hp);
      if (hover && hp) {
        const many = s.track.people.length > 1;
        const person = s.track.people.find((p) => p.personId === hover.personId);
        hoverText.text(
          `${many ? `${person?.name ?? `Person ${hover.personId + 1}`} · ` : ''}${POINT_NAMES[hover.index]}`,
        );
        hoverLabel.position({
          x: hp[hover.index * 3]! + 8 / a.stage.zoom,
          y: hp[hover.index * 3 + 1]! - 22 / a.stage.zoom,
        });
        hoverLabel.scale({ x: 1 / a.stage.zoom, y: 1 / a.stage.zoom });
      }
      ui.batchDraw();
      const g: Ghost[] = onionSkinFrames(
        a.frame,
        a.onionSkin,
        a.frameCount,
        s.track.people[0]?.keyframes ?? [],
      ).map((o) => ({ frame: s.poseAt(o.frame), color: o.color, opacity: o.opacity }));
      ghosts.setAttrs({ ghosts: g, zoom: a.stage.zoom });
      ghostLayer.current!.batchDraw();
      // Remember what the overlay shows only when it was brought up to date: a throttled flush
      // must leave it stale, or the drag's final state (often inside the 40 ms window) is never
      // drawn and the overlay keeps an older pose.
      if (!(condStale && throttled))
        last = {
          track: s.track,
          frame: a.frame,
          cond: a.showConditioning,
          condFeet: a.conditioningFeet,
        };
      redraws++;
      window.__editorPerf?.stage.push(performance.now() - t0);
    };
    const schedule = () => {
      if (!raf) raf = requestAnimationFrame(flush);
    };
    const unsub = store.subscribe(schedule);
    flush();

    // Marquee selection on empty canvas; pan with the middle button or Alt+drag; wheel zooms.
    let marqueeStart: { x: number; y: number } | null = null;
    let panStart: { x: number; y: number; sx: number; sy: number } | null = null;
    const isEmpty = (t: Konva.Node) =>
      t === stage || t.getLayer() === pictureLayer.current || t.getLayer() === condLayer.current;
    stage.on('mousedown.editor', (e) => {
      const ev = e.evt;
      if (ev.button === 1 || (ev.button === 0 && ev.altKey)) {
        const a = store.getState().ahistoric.stage;
        panStart = { x: ev.clientX, y: ev.clientY, sx: a.x, sy: a.y };
        userView.current = true;
        ev.preventDefault();
        return;
      }
      if (ev.button !== 0 || !isEmpty(e.target)) return;
      marqueeStart = stage.getRelativePointerPosition();
      if (marqueeStart)
        marquee.setAttrs({
          x: marqueeStart.x,
          y: marqueeStart.y,
          width: 0,
          height: 0,
          visible: true,
        });
    });
    stage.on('mousemove.editor', (e) => {
      if (panStart) {
        const s = store.getState();
        s.setView({
          stage: {
            ...s.ahistoric.stage,
            x: panStart.sx + e.evt.clientX - panStart.x,
            y: panStart.sy + e.evt.clientY - panStart.y,
          },
        });
        return;
      }
      if (!marqueeStart) return;
      const p = stage.getRelativePointerPosition()!;
      marquee.setAttrs({ width: p.x - marqueeStart.x, height: p.y - marqueeStart.y });
      ui.batchDraw();
    });
    const endPointer = (e: Konva.KonvaEventObject<MouseEvent>) => {
      panStart = null;
      if (!marqueeStart) return;
      const rect = {
        x: marquee.x(),
        y: marquee.y(),
        width: marquee.width(),
        height: marquee.height(),
      };
      marqueeStart = null;
      marquee.visible(false);
      ui.batchDraw();
      const s = store.getState();
      const small =
        Math.abs(rect.width) * s.ahistoric.stage.zoom < 3 &&
        Math.abs(rect.height) * s.ahistoric.stage.zoom < 3;
      if (small) {
        if (!e.evt.shiftKey) s.setEphemeral({ selectedPoints: [] });
        return;
      }
      const refs: PointRef[] = [];
      for (const person of s.track.people) {
        const pts = s.points(person.personId);
        if (pts)
          for (const index of pointsInRect(pts, rect))
            refs.push({ personId: person.personId, index });
      }
      s.selectPoints(refs, e.evt.shiftKey);
    };
    stage.on('mouseup.editor mouseleave.editor', endPointer);
    stage.on('wheel.editor', (e) => {
      e.evt.preventDefault();
      userView.current = true;
      const s = store.getState();
      const p = stage.getPointerPosition();
      if (p) s.setView({ stage: zoomStageAt(s.ahistoric.stage, p, e.evt.deltaY) });
    });

    window.__poseEditor = { stage, scene, redraws: () => redraws };
    return () => {
      unsub();
      cancelAnimationFrame(raf);
      stage.off('.editor');
      // Destroy what this run created (refs may already be detached during unmount).
      skel.destroyChildren();
      marquee.destroy();
      hoverLabel.destroy();
      overlay.node.destroy();
      ghosts.destroy();
      if (window.__poseEditor?.scene === scene) delete window.__poseEditor;
    };
  }, [store]);

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', minHeight: 0, flex: 1 }}>
      <PoseToolbar store={store} />
      <Box
        ref={boxRef}
        data-testid="pose-stage"
        // Reached by Tab; its keys are in useJointKeyboard. A click does not focus it (the arrows
        // keep stepping frames for mouse users), but still takes focus away from a text field.
        tabIndex={0}
        role="application"
        aria-label={CANVAS_HINT}
        onMouseDown={(e) => {
          if (document.activeElement === e.currentTarget) return;
          (document.activeElement as HTMLElement | null)?.blur?.();
          e.preventDefault();
        }}
        sx={{
          flex: 1,
          minHeight: 0,
          overflow: 'hidden',
          position: 'relative',
          bgcolor: '#0b0d10',
          backgroundImage: 'radial-gradient(#1c2028 1px, transparent 1px)',
          backgroundSize: '16px 16px',
          '&:focus-visible': {
            outline: '2px solid',
            outlineColor: 'primary.main',
            outlineOffset: -2,
          },
        }}
        onContextMenu={(e) => e.preventDefault()}
      >
        <Stage ref={stageRef} width={size.width} height={size.height}>
          <Layer ref={pictureLayer} listening={false} />
          <Layer ref={condLayer} listening={false} />
          <Layer ref={ghostLayer} listening={false} />
          <Layer ref={skeletonLayer} />
          <Layer ref={uiLayer} listening={false} />
        </Stage>
        <JointAnnouncement
          text={jointSaid}
          whenFocused="[data-testid=pose-stage]:focus-visible > &"
          testId="joint-announcement"
        />
      </Box>
    </Box>
  );
}
