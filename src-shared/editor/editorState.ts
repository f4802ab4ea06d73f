import type { PoseTrack } from '#shared/pose/types';
import type { RenderPlan, Segment } from '#shared/render/plan';
import type { DragMode } from './dragJoint';
import type { KeyframeClipboard, KeyframeRef } from './keyframeOps';
import { DEFAULT_ONION_SKIN, type OnionSkinSettings } from './onionSkin';
import type { RulerUnit, TimelineView } from './timelineMath';

/**
 * The editor's state, split three ways as in Theatre.js:
 * - historic: what undo/redo walks through — the pose track;
 * - ahistoric: persisted with the project/user but never undone — how things are shown;
 * - ephemeral: lost on reload — selection, hover, a drag in progress, playback.
 */
export interface HistoricState {
  track: PoseTrack;
}

/** Which groups of points the stage shows (display only; the conditioning image is unaffected). */
export interface PartVisibility {
  body: boolean;
  hands: boolean;
  face: boolean;
  feet: boolean;
}

export interface StageView {
  zoom: number;
  x: number;
  y: number;
}

export interface AhistoricState {
  fps: number;
  frameCount: number;
  /** The playhead. */
  frame: number;
  dragMode: DragMode;
  parts: PartVisibility;
  onionSkin: OnionSkinSettings;
  showPicture: boolean;
  showConditioning: boolean;
  conditioningOpacity: number;
  /** Draw feet in the conditioning image (the standard annotator omits them). */
  conditioningFeet: boolean;
  stage: StageView;
  timeline: TimelineView;
  rulerUnit: RulerUnit;
}

export interface PointRef {
  personId: number;
  index: number;
}

export interface DragState {
  /** Unique per gesture: all edits of one drag coalesce into one undo step. */
  id: string;
  kind: 'joint' | 'keyframes' | 'playhead' | 'group';
  personId?: number;
  index?: number;
}

export interface EphemeralState {
  selectedPoints: PointRef[];
  selectedKeyframes: KeyframeRef[];
  hover: PointRef | null;
  drag: DragState | null;
  playing: boolean;
  /** Playback limited to these frames, played once (transition preview); null plays the track. */
  playRange: { from: number; to: number } | null;
  clipboard: KeyframeClipboard | null;
  /** A pose file picked or dropped, waiting in the import dialog (parsed JSON). */
  pendingImport: { fileName: string; value: unknown } | null;
}

export const DEFAULT_AHISTORIC: AhistoricState = {
  fps: 24,
  frameCount: 240,
  frame: 0,
  dragMode: 'ik',
  parts: { body: true, hands: true, face: true, feet: true },
  onionSkin: DEFAULT_ONION_SKIN,
  showPicture: true,
  showConditioning: false,
  conditioningOpacity: 0.7,
  conditioningFeet: false,
  stage: { zoom: 1, x: 0, y: 0 },
  timeline: { startFrame: 0, pxPerFrame: 4 },
  rulerUnit: 'frames',
};

export const EMPTY_EPHEMERAL: EphemeralState = {
  selectedPoints: [],
  selectedKeyframes: [],
  hover: null,
  drag: null,
  playing: false,
  playRange: null,
  clipboard: null,
  pendingImport: null,
};

/** A render-plan segment's cache/render state, as the timeline's plan lane colours it. */
export const SEGMENT_STATES = ['cached', 'stale', 'rendering', 'done'] as const;
export type SegmentState = (typeof SEGMENT_STATES)[number];

/** One bar of the plan lane: the frames the generator works on and the frames it delivers. */
export interface PlanLaneSegment {
  index: number;
  role: Segment['role'];
  windowStart: number;
  windowEnd: number;
  start: number;
  end: number;
  state: SegmentState;
}

/** The plan lane for a render plan; segments without a known state count as stale. */
export function planLane(
  plan: Pick<RenderPlan, 'segments'>,
  states: ReadonlyMap<number, SegmentState> = new Map(),
): PlanLaneSegment[] {
  return plan.segments.map((s) => ({
    index: s.index,
    role: s.role,
    windowStart: s.windowStart,
    windowEnd: s.windowEnd,
    start: s.start,
    end: s.end,
    state: states.get(s.index) ?? 'stale',
  }));
}

/** Frames where one segment hands over to the next (the lane's transition markers). */
export function transitionFrames(segments: readonly Pick<PlanLaneSegment, 'start'>[]): number[] {
  return segments
    .map((s) => s.start)
    .sort((a, b) => a - b)
    .slice(1);
}
