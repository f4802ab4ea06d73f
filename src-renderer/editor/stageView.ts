import type { StageView } from '#shared/editor/editorState';

/** Zoom limits of the stage (canvas pixels per screen pixel). */
export const MIN_STAGE_ZOOM = 0.05;
export const MAX_STAGE_ZOOM = 40;
/** Room left around the canvas when it is fitted into the view, in screen pixels. */
const FIT_MARGIN = 20;

interface Size {
  width: number;
  height: number;
}

/**
 * The stage view that shows the whole canvas centred in a box, or null when there is nothing to
 * fit (a box too small, a canvas without area).
 */
export function fitStage(box: Size, canvas: Size): StageView | null {
  const zoom = Math.min(
    (box.width - 2 * FIT_MARGIN) / canvas.width,
    (box.height - 2 * FIT_MARGIN) / canvas.height,
  );
  if (!(zoom > 0) || !Number.isFinite(zoom)) return null;
  return {
    zoom: Math.min(zoom, MAX_STAGE_ZOOM),
    x: (box.width - canvas.width * Math.min(zoom, MAX_STAGE_ZOOM)) / 2,
    y: (box.height - canvas.height * Math.min(zoom, MAX_STAGE_ZOOM)) / 2,
  };
}

/**
 * The view after a wheel step at `pointer` (screen pixels): zoom by the wheel's delta, keeping
 * the canvas point under the pointer where it is.
 */
export function zoomStageAt(
  view: StageView,
  pointer: { x: number; y: number },
  deltaY: number,
): StageView {
  if (!Number.isFinite(deltaY)) return view;
  const zoom = Math.min(
    Math.max(view.zoom * Math.pow(1.0015, -deltaY), MIN_STAGE_ZOOM),
    MAX_STAGE_ZOOM,
  );
  const wx = (pointer.x - view.x) / view.zoom;
  const wy = (pointer.y - view.y) / view.zoom;
  return { zoom, x: pointer.x - wx * zoom, y: pointer.y - wy * zoom };
}
